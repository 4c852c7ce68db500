import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { rewordConsolidated } from '../../../../activities/storage/consolidation';
import { consolidatedParams, editedSchema, editedView } from './schemas';

/** Rewords a consolidated recommendation in place; its revision is raised (older links stop working). */
export default defineRoute({
  name: 'consolidated.reword',
  method: 'patch',
  path: '/admin/cycles/{cycleId}/consolidated/{recommendationId}',
  summary: 'Reword a consolidated recommendation',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: consolidatedParams,
  body: z
    .strictObject({
      title: z.string().trim().min(1).max(200).optional(),
      text: z.string().trim().min(1).max(4000).optional(),
      context: z.string().trim().max(4000).optional(),
      countries: z.array(z.string().regex(/^[A-Z]{2}$/, 'a country code such as BE')).min(1).optional(),
    })
    .refine((b) => Object.keys(b).length > 0, { message: 'change at least one of title, text, context, countries' })
    .openapi('ConsolidatedReword'),
  response: { status: 200, description: 'The reworded recommendation', schema: editedSchema },
  errors: [409],
  audit: 'consolidation.reworded',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const doc = await rewordConsolidated(deps.models, {
      cycleId: params.cycleId, actorId: principal.keyId, opId: updateId, id: params.recommendationId, wording: body,
    });
    audit.recordedByStorage = true;
    return editedView(doc);
  },
});
