import { z } from '../../../zod';
import { localizedTextSchema } from '../../../schemas';
import { recommendationIdSchema } from '../boards/schemas';

const votes = z
  .strictObject({ for: z.number().int().min(0), against: z.number().int().min(0), abstain: z.number().int().min(0) })
  .openapi('AssemblyVote');
const nextThemes = z.array(z.strictObject({ title: localizedTextSchema })).max(10).default([]);

export const assemblyResultSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('en_bloc'), votes, nextThemes }),
    z.strictObject({
      mode: z.literal('per_recommendation'),
      items: z.array(z.strictObject({ recommendationId: recommendationIdSchema, votes })).min(1).max(500),
      nextThemes,
    }),
  ])
  .openapi('AssemblyResultInput', {
    description: 'The assembly votes en bloc or per recommendation; `nextThemes` seeds the next cycle.',
  });

export const assemblyStatusSchema = z
  .object({
    cycleId: z.string(),
    country: z.string(),
    assemblyDate: z.string(),
    status: z.enum(['waiting_for_date', 'awaiting_result', 'ratified']),
    ratified: z.number(),
    projectIds: z.array(z.string()),
    backlog: z.number(),
  })
  .openapi('AssemblyStatus');
