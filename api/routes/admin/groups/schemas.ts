import { z } from '../../../zod';
import type { GroupDoc } from '../../../../domain/models';
import { idSchema } from '../../../schemas';

export const groupParams = z.strictObject({ cycleId: idSchema, groupId: idSchema });

export const groupSchema = z
  .object({
    id: z.string(),
    cycleId: z.string(),
    themeId: z.string(),
    kind: z.enum(['office', 'online']),
    officeId: z.string().optional(),
    moderatorMemberId: z.string().optional(),
    moderatorAccepted: z.boolean(),
    status: z.string(),
    statusReason: z.string().optional(),
    fallbackGroupId: z.string().optional(),
    submissionVersion: z.number(),
    approval: z.object({ status: z.string(), version: z.number().optional(), comment: z.string().optional() }),
    memberCount: z.number().optional(),
  })
  .openapi('Group');

/** The stored group as the api shows it. */
export function groupView(g: GroupDoc & { memberCount?: number }): z.input<typeof groupSchema> {
  return {
    id: g._id,
    cycleId: g.cycleId,
    themeId: g.themeId,
    kind: g.kind,
    ...(g.officeId ? { officeId: g.officeId } : {}),
    ...(g.moderatorMemberId ? { moderatorMemberId: g.moderatorMemberId } : {}),
    moderatorAccepted: Boolean(g.moderatorAcceptedAt),
    status: g.status,
    ...(g.statusReason ? { statusReason: g.statusReason } : {}),
    ...(g.fallbackGroupId ? { fallbackGroupId: g.fallbackGroupId } : {}),
    submissionVersion: g.submissionVersion ?? 0,
    approval: {
      status: g.approval?.status ?? 'not_requested',
      ...(g.approval?.version !== undefined && g.approval?.version !== null ? { version: g.approval.version } : {}),
      ...(g.approval?.comment ? { comment: g.approval.comment } : {}),
    },
    ...(g.memberCount !== undefined ? { memberCount: g.memberCount } : {}),
  };
}

export const groupStatusSchema = z
  .object({
    groupId: z.string(),
    status: z.string(),
    phase: z.string(),
    moderatorAccepted: z.boolean(),
    members: z.number(),
    submissionVersion: z.number(),
    approval: z.object({ status: z.string(), version: z.number().optional() }),
  })
  
  .openapi('GroupStatus');
