/** The group workflow's decisions taken from a mail: join, accept the moderator role, approve the wording. */
import { z } from 'zod';
import {
  acceptModeratorRoleUpdate, approveConsolidationUpdate, confirmMembershipUpdate, requestConsolidationChangeUpdate,
} from '../../../workflows/group/contract';
import type { WorkflowLinkAction } from './types';

const none = z.object({}).passthrough();

export const confirmMembership: WorkflowLinkAction<object> = {
  action: 'confirm_membership',
  kind: 'workflow',
  workflowKind: 'group',
  form: none,
  updateName: confirmMembershipUpdate.name,
  updateArg: (claims) => ({ memberId: claims.memberId, actorId: claims.memberId }),
};

export const acceptModerator: WorkflowLinkAction<object> = {
  action: 'accept_moderator',
  kind: 'workflow',
  workflowKind: 'group',
  form: none,
  updateName: acceptModeratorRoleUpdate.name,
  updateArg: (claims) => ({ memberId: claims.memberId }),
};

/** The consolidation version travels in the link: the workflow refuses an outdated wording. */
export const approveConsolidation: WorkflowLinkAction<object> = {
  action: 'approve_consolidation',
  kind: 'workflow',
  workflowKind: 'group',
  form: none,
  updateName: approveConsolidationUpdate.name,
  updateArg: (claims) => ({ memberId: claims.memberId, version: Number(claims.version) }),
};

export const requestChange: WorkflowLinkAction<{ comment: string }> = {
  action: 'request_change',
  kind: 'workflow',
  workflowKind: 'group',
  form: z.object({ comment: z.string().trim().min(1).max(4000) }),
  updateName: requestConsolidationChangeUpdate.name,
  updateArg: (claims, form) => ({ memberId: claims.memberId, version: Number(claims.version), comment: form.comment }),
};
