/** Issuing the link an outbox entry carries (called by the mail activities at render time). */
import { parseWorkflowId } from '../../domain/ids';
import type { Language } from '../../domain/types';
import type { LinkSpec } from '../mail/contract';
import { LINK_ACTIONS } from './actions';
import { linkIdForOutbox, linkUrl, sealLink, type LinkClaims } from './token';

/** Thrown when a workflow asks for a link that could never be used (wrong workflow kind, past expiry). */
export class LinkSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LinkSpecError';
  }
}

export interface IssueInput {
  secret: string;
  publicBaseUrl: string;
  outboxId: string;
  spec: LinkSpec;
  memberId: string;
  language: Language;
  name: string;
  /** The outbox entry's creation time: the same entry always gives the same link. */
  issuedAt: Date;
}

/** The claims of an outbox entry's link; deterministic in its inputs. */
export function claimsForOutbox(input: IssueInput): LinkClaims {
  const kind = parseWorkflowId(input.spec.workflowId)?.kind;
  for (const action of input.spec.actions) {
    const def = LINK_ACTIONS[action];
    if (!def) throw new LinkSpecError(`unknown link action ${action}`);
    if (!kind || (def.workflowKind !== 'any' && def.workflowKind !== kind)) {
      throw new LinkSpecError(`action ${action} needs a ${def.workflowKind} workflow, not ${input.spec.workflowId}`);
    }
  }
  const expiresAt = Date.parse(input.spec.expiresAt);
  if (!Number.isFinite(expiresAt)) throw new LinkSpecError(`expiresAt is not a date: ${input.spec.expiresAt}`);
  return {
    linkId: linkIdForOutbox(input.secret, input.outboxId, input.spec.actions),
    actions: [...input.spec.actions],
    workflowId: input.spec.workflowId,
    subjectId: input.spec.subjectId,
    memberId: input.memberId,
    version: input.spec.version,
    expiresAt,
    issuedAt: input.issuedAt.getTime(),
    language: input.language,
    // Shown on the page as "as whom"; a long name is cut so the token stays short.
    name: input.name.replace(/[\u0000-\u001f\u007f]+/g, ' ').slice(0, 80),
  };
}

/** The URL of an outbox entry's link (PUBLIC_BASE_URL + sealed token). */
export function issueLinkUrl(input: IssueInput): string {
  return linkUrl(input.publicBaseUrl, sealLink(input.secret, claimsForOutbox(input)));
}
