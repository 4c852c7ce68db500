import { z } from '../../../zod';
import type { ProjectDoc } from '../../../../domain/models';
import { idSchema, instantSchema } from '../../../schemas';

export const projectParams = z.strictObject({ projectId: idSchema });

export const projectSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['strategic_plan', 'local_initiative']),
    cycleId: z.string(),
    country: z.string(),
    recommendationId: z.string().optional(),
    groupId: z.string().optional(),
    officeId: z.string().optional(),
    title: z.string(),
    description: z.string(),
    ownerMemberId: z.string().optional(),
    status: z.enum(['active', 'done', 'abandoned']),
    progress: z.array(z.object({ at: instantSchema, percent: z.number(), note: z.string(), reportedBy: z.string() })),
  })
  .openapi('Project');

export function projectView(p: ProjectDoc): z.input<typeof projectSchema> {
  return {
    id: p._id,
    kind: p.kind,
    cycleId: p.cycleId,
    country: p.country,
    ...(p.recommendationId ? { recommendationId: p.recommendationId } : {}),
    ...(p.groupId ? { groupId: p.groupId } : {}),
    ...(p.officeId ? { officeId: p.officeId } : {}),
    title: p.title,
    description: p.description ?? '',
    ...(p.ownerMemberId ? { ownerMemberId: p.ownerMemberId } : {}),
    status: p.status,
    progress: (p.progress ?? []).map((r) => ({
      at: new Date(r.at).toISOString(), percent: r.percent, note: r.note ?? '', reportedBy: r.reportedBy ?? '',
    })),
  };
}

export const followUpStatusSchema = z
  .object({
    projectId: z.string(),
    status: z.enum(['active', 'done', 'abandoned']),
    lastPercent: z.number(),
    requestsSent: z.number(),
    nextRequestAt: z.string().optional(),
  })
  .openapi('FollowUpStatus');
