import { z } from 'zod';
import { emailField } from '../../shared/validation/fields.ts';
import { parseQuery } from '../http.ts';

/** The body of a pin or forbid request. */
export const pairRequestSchema = z.strictObject({
  mentee: emailField,
  mentor: emailField,
  remove: z.boolean().optional(),
});

/** A pair's id in a route's path, as `tandem pairs` lists it. */
const pairPathSchema = z.object({
  pairId: z.string().regex(/^[\w-]{16}$/, {
    error: 'is not a pair id: list the pairs and their ids with `tandem pairs COHORT`',
  }),
});

export const pairIdOfPath = (pathParameters: { pairId: string }) =>
  parseQuery(pairPathSchema, pathParameters, 'The pair is not valid').pairId;
