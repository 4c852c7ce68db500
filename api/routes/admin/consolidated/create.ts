import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { createConsolidated } from '../../../../activities/storage/consolidation';
import { editedSchema, editedView, wordingSchema } from './schemas';

const originalId = z.string().regex(/^[A-Za-z0-9_:-]{1,200}$/, 'an original recommendation id, e.g. <groupId>:v1:3');

/** Takes one or more originals into the document (verbatim, reworded or merged), with lineage. */
export default defineRoute({
  name: 'consolidated.create',
  method: 'post',
  path: '/admin/cycles/{cycleId}/consolidated',
  summary: 'Add a consolidated recommendation from originals',
  description:
    'During consolidation. Without `wording` the original is taken verbatim; with it, reworded (one original) or merged (several). ' +
    'Every original stays linked (lineage). With an Idempotency-Key a retried request finds what the first one created.',
  tag: 'consolidation',
  access: { roles: ['staff'] },
  params: cycleParams,
  body: z
    .strictObject({
      fromRecommendationIds: z.array(originalId).min(1).max(20),
      relation: z.enum(['verbatim', 'reworded', 'merged', 'split']).optional(),
      wording: wordingSchema.optional(),
    })
    .openapi('ConsolidatedCreate'),
  response: { status: 201, description: 'The new consolidated recommendation', schema: editedSchema },
  errors: [409],
  audit: 'consolidation.created',
  handle: async ({ params, body, deps, principal, updateId, audit }) => {
    const doc = await createConsolidated(deps.models, {
      cycleId: params.cycleId, actorId: principal.keyId, opId: updateId, ...body,
    });
    audit.recordedByStorage = true;
    return editedView(doc);
  },
});
