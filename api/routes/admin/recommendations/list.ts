import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams, idSchema } from '../../../schemas';
import { requireCycle } from '../../../../activities/storage/cycle-config';

/** The recommendations as groups submitted them (the originals every lineage points to). */
export default defineRoute({
  name: 'recommendations.list',
  method: 'get',
  path: '/admin/cycles/{cycleId}/recommendations',
  summary: 'List the original recommendations groups submitted',
  tag: 'consolidation',
  access: { roles: ['staff', 'operator', 'board_secretary'] },
  params: cycleParams,
  query: z.strictObject({ groupId: idSchema.optional(), includeSuperseded: z.enum(['true', 'false']).optional() }),
  response: {
    status: 200,
    description: 'Originals, by group and position',
    schema: z.object({
      items: z.array(
        z
          .object({
            id: z.string(),
            groupId: z.string(),
            submissionVersion: z.number(),
            position: z.number(),
            title: z.string(),
            text: z.string(),
            context: z.string(),
            superseded: z.boolean(),
            submittedAt: z.string(),
          })
          .openapi('OriginalRecommendation'),
      ),
    }),
  },
  handle: async ({ params, query, deps }) => {
    await requireCycle(deps.models, params.cycleId);
    const filter: Record<string, unknown> = { cycleId: params.cycleId };
    if (query.groupId) filter.groupId = query.groupId;
    if (query.includeSuperseded !== 'true') filter.superseded = { $ne: true };
    const items = await deps.models.Recommendation.find(filter).sort({ groupId: 1, submissionVersion: 1, position: 1 }).lean();
    return {
      items: items.map((r) => ({
        id: r._id,
        groupId: r.groupId,
        submissionVersion: r.submissionVersion,
        position: r.position,
        title: r.title,
        text: r.text,
        context: r.context,
        superseded: Boolean(r.superseded),
        submittedAt: new Date(r.submittedAt).toISOString(),
      })),
    };
  },
});
