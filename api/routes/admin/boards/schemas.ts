import { z } from '../../../zod';
import { countrySchema, idSchema, outcomeSchema } from '../../../schemas';
import { DECISION_CRITERIA } from '../../../../domain/types';

export const boardParams = z.strictObject({ cycleId: idSchema, country: countrySchema });

export const recommendationIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_:-]{1,200}$/, 'a consolidated recommendation id, e.g. sip-2019-2020:c12')
  .openapi({ example: 'sip-2019-2020:c12' });

export const decisionSchema = z
  .strictObject({
    recommendationId: recommendationIdSchema,
    outcome: outcomeSchema,
    motivation: z.strictObject({
      criteria: z.array(z.enum(DECISION_CRITERIA)).min(1, 'name at least one criterion'),
      text: z.string().trim().min(1).max(4000),
    }),
    newWording: z.strictObject({ title: z.string().trim().min(1).max(200), text: z.string().trim().min(1).max(4000) }).optional(),
    postponeTo: z
      .discriminatedUnion('kind', [
        z.strictObject({ kind: z.literal('next_cycle') }),
        z.strictObject({ kind: z.literal('date'), date: z.iso.datetime({ offset: true }) }),
      ])
      .optional(),
  })
  .openapi('BoardDecisionInput', {
    description:
      'Accept, reformulate (with `newWording`), postpone (with `postponeTo`) or refuse, with a motivation that ' +
      'names at least one criterion. Whether the outcome and its extra fields fit is the board workflow’s rule (422).',
  });

export const boardStatusSchema = z
  .object({
    cycleId: z.string(),
    country: z.string(),
    status: z.enum(['waiting', 'deciding', 'late', 'completed', 'closed_with_undecided']),
    decided: z.number(),
    undecided: z.number(),
    scope: z.number(),
    boardDeadline: z.string(),
    assemblyDate: z.string(),
  })
  .openapi('BoardStatus');
