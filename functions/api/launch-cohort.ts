import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { invalidInput } from '../../shared/errors.ts';
import { programHints, programSchema } from '../../shared/program/program-schema.ts';
import { launchCohort } from '../../shared/use-cases/launch-cohort.ts';
import { issuesFromZod, knownKeysOf } from '../../shared/validation/zod-issues.ts';
import { handlerDeps } from '../adapters.ts';
import { jsonBody, parseRequest, respond } from '../http.ts';
import { instrumented } from '../powertools.ts';

const maxBodyBytes = 256 * 1024;
const programKeys = knownKeysOf(programSchema);

/** Launches a cohort from a program, sent as JSON (the CLI converts the YAML file). */
export const handler = instrumented(async (event: APIGatewayProxyEventV2) =>
  respond(event, async () => {
    parseRequest(event, z.unknown());
    const parsed = programSchema.safeParse(jsonBody(event, maxBodyBytes));
    if (!parsed.success) {
      throw invalidInput('The program is not valid', issuesFromZod(parsed.error, programHints, programKeys));
    }
    const cohort = await launchCohort(parsed.data, handlerDeps());
    return { status: 201, body: cohort };
  }),
);
