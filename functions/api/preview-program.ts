import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { parseProgram } from '../../shared/program/load-program.ts';
import { cohortIdOf } from '../../shared/use-cases/launch-cohort.ts';
import { previewProgram } from '../../shared/use-cases/preview-program.ts';
import { bodyText, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

/** A program file is a few KB: as much as launching takes. */
const maxBodyBytes = 256 * 1024;

/**
 * A program file checked before launching (the console's launch page): its text as written,
 * YAML or JSON, answered with every problem at its line (400), or with the program as the
 * launch route takes it and every email the cohort would send, as `tandem preview` shows them.
 * Nothing is stored.
 */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    parseRequest(event, z.unknown());
    const program = parseProgram(bodyText(event, maxBodyBytes));
    const emails = previewProgram(program).map(({ date, audience, kind, round, trigger, email }) => ({
      date,
      audience,
      kind,
      round,
      ...(trigger ? { trigger } : {}),
      subject: email.subject,
      text: email.text,
    }));
    return { status: 200, body: { cohortId: cohortIdOf(program), program, emails } };
  }),
);
