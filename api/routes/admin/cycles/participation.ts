import { z } from '../../../zod';
import { defineRoute } from '../../../registry';
import { cycleParams } from '../../../schemas';
import { participationReport } from '../../../usecases/participation';

const bucket = z.object({ meetings: z.number(), attendees: z.number(), guests: z.number(), averagePerMeeting: z.number() });

export const participationSchema = z
  .object({
    cycleId: z.string(),
    groups: z.object({
      total: z.number(),
      byStatus: z.record(z.string(), z.number()),
      list: z.array(
        z.object({
          groupId: z.string(),
          kind: z.string(),
          officeId: z.string().optional(),
          office: z.string().optional(),
          themeId: z.string(),
          theme: z.string().optional(),
          country: z.string().optional(),
          status: z.string(),
          members: z.number(),
          meetings: z.number(),
        }),
      ),
    }),
    meetings: z.object({
      total: z.number(),
      byMode: z.record(z.string(), z.number()),
      joint: z.number(),
      attendance: z.object({ in_person: bucket, online: bucket }),
      distinctParticipants: z.number(),
    }),
    recommendations: z.object({
      submitted: z.number(),
      groupsWithoutRecommendations: z.number(),
      consolidated: z.number(),
      withdrawn: z.number(),
      decisions: z.record(z.string(), z.record(z.string(), z.number())),
      ratified: z.record(z.string(), z.number()),
    }),
    localInitiatives: z.number(),
    projects: z.number(),
  })
  .openapi('ParticipationReport');

/** Who took part, where and how: groups, meetings by mode, attendance, recommendations per stage. */
export default defineRoute({
  name: 'cycles.participation',
  method: 'get',
  path: '/admin/cycles/{cycleId}/participation',
  summary: 'Participation report of a cycle (counts only)',
  tag: 'cycles',
  access: { roles: ['staff', 'operator'] },
  params: cycleParams,
  response: { status: 200, description: 'The report', schema: participationSchema },
  handle: async ({ params, deps }) => participationReport(deps.models, params.cycleId),
});
