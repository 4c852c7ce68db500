import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { withdrawConsolidated } from '../../../../activities/storage/consolidation';
import { consolidatedParams, editedSchema, editedView } from './schemas';

/** Takes a recommendation out of the document; it stays stored, with its reason, for the trace. */
export default defineRoute({
  name: 'consolidated.withdraw',
  method: 'post',
  path: '/admin/cycles/{cycleId}/consolidated/{recommendationId}/withdraw',
  summary: 'Withdraw a consolidated recommendation',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: consolidatedParams,
  body: z.strictObject({ reason: z.string().trim().min(3).max(2000) }).openapi('ConsolidatedWithdraw'),
  response: { status: 200, description: 'The withdrawn recommendation', schema: editedSchema },
  errors: [409],
  audit: 'consolidation.withdrawn',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const doc = await withdrawConsolidated(deps.models, {
      cycleId: params.cycleId, actorId: principal.keyId, opId: updateId, id: params.recommendationId, reason: body.reason,
    });
    audit.recordedByStorage = true;
    return editedView(doc);
  },
});
