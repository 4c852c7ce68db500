/**
 * What workflows may ask of links: revoking those issued for a subject (a moderator replaced, a
 * group cancelled). Issuing happens inside the mail activities; using happens in the api.
 */
import type { Models } from '../../domain/models';
import { revokeSubjectLinks } from './revocations';

export interface RevokeLinksInput {
  workflowId: string;
  subjectId: string;
  /** Only this member's links; all recipients' when absent. */
  memberId?: string;
  reason: string;
  actorId: string;
}

export interface LinkActivities {
  /** Links issued until now for this subject stop working; links issued later work. Idempotent. */
  revokeLinks(input: RevokeLinksInput): Promise<void>;
}

export function createLinkActivities(deps: { models: Models; config: { LINK_SECRET: string } }): LinkActivities {
  return {
    async revokeLinks(input) {
      await revokeSubjectLinks(
        deps.models,
        deps.config.LINK_SECRET,
        { workflowId: input.workflowId, subjectId: input.subjectId, memberId: input.memberId },
        { reason: input.reason, revokedBy: input.actorId },
      );
    },
  };
}

export { startLinkReconciler, reconcileLinks } from './reconciler';
export { inspectLink, useLink } from './service';
export { revokeLink, revokeMemberLinks, revokeSubjectLinks } from './revocations';
