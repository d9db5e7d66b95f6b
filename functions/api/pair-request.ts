import { z } from 'zod';
import { emailField } from '../../shared/validation/fields.ts';

/** The body of a pin or forbid request. */
export const pairRequestSchema = z.strictObject({
  mentee: emailField,
  mentor: emailField,
  remove: z.boolean().optional(),
});
