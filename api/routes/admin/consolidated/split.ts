import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { splitConsolidated } from '../../../../activities/storage/consolidation';
import { consolidatedParams, editedSchema, editedView, wordingSchema } from './schemas';

/** Splits one consolidated recommendation into several; each part keeps the whole lineage. */
export default defineRoute({
  name: 'consolidated.split',
  method: 'post',
  path: '/admin/cycles/{cycleId}/consolidated/{recommendationId}/split',
  summary: 'Split a consolidated recommendation',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: consolidatedParams,
  body: z.strictObject({ parts: z.array(wordingSchema).min(2).max(10) }).openapi('ConsolidatedSplit'),
  response: { status: 201, description: 'The parts', schema: z.object({ items: z.array(editedSchema) }) },
  errors: [409],
  audit: 'consolidation.split',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const docs = await splitConsolidated(deps.models, {
      cycleId: params.cycleId, actorId: principal.keyId, opId: updateId, id: params.recommendationId, parts: body.parts,
    });
    audit.recordedByStorage = true;
    return { items: docs.map(editedView) };
  },
});
