import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { mergeConsolidated } from '../../../../activities/storage/consolidation';
import { consolidatedParams, editedSchema, editedView, wordingSchema } from './schemas';

/** Merges consolidated recommendations into a new one; the sources leave the document, lineage is kept. */
export default defineRoute({
  name: 'consolidated.merge',
  method: 'post',
  path: '/admin/cycles/{cycleId}/consolidated/merge',
  summary: 'Merge consolidated recommendations',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: cycleParams,
  body: z
    .strictObject({ ids: z.array(consolidatedParams.shape.recommendationId).min(2).max(20), wording: wordingSchema })
    .openapi('ConsolidatedMerge'),
  response: { status: 201, description: 'The merged recommendation', schema: editedSchema },
  errors: [409],
  audit: 'consolidation.merged',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const doc = await mergeConsolidated(deps.models, { cycleId: params.cycleId, actorId: principal.keyId, opId: updateId, ...body });
    audit.recordedByStorage = true;
    return editedView(doc);
  },
});
