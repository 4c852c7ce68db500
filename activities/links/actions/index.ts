/** Every link action under its public name. */
import type { LinkAction } from '../../mail/contract';
import { acceptModerator, approveConsolidation, confirmMembership, requestChange } from './group';
import { reportProgress } from './progress';
import { react, rsvp } from './review';
import { eraseData, unsubscribe } from './member';
import type { LinkActionDef } from './types';

export * from './types';

export const LINK_ACTIONS: Record<LinkAction, LinkActionDef> = {
  confirm_membership: confirmMembership,
  accept_moderator: acceptModerator,
  approve_consolidation: approveConsolidation,
  request_change: requestChange,
  report_progress: reportProgress,
  react,
  rsvp,
  unsubscribe,
  erase_data: eraseData,
};
