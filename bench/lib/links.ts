/**
 * Links as the product issues them: through the links module's issueLinkUrl (sealed token, link id
 * derived from the outbox entry of the invitation), for members of group workflows.
 */
import { claimsForOutbox, issueLinkUrl, type IssueInput } from '../../activities/links/issue';
import { linkKeys } from '../../activities/links/keys';
import { monthOf, useIdFor } from '../../activities/links/token';
import type { LinkAction } from '../../activities/mail/contract';
import { outboxIdFor } from '../../activities/mail/outbox';
import type { Models } from '../../domain/models';
import { LANGUAGES } from '../../domain/types';

export interface IssuedLink {
  token: string;
  memberId: string;
  workflowId: string;
  /** The stored id of its use (what link_uses and link_recent are keyed by). */
  useId: string;
  expiresAt: number;
}

export interface IssueOptions {
  secret: string;
  publicBaseUrl: string;
  /** One workflow id per target; link i goes to targets[i % targets.length]. */
  targets: { workflowId: string; subjectId: string }[];
  count: number;
  action: LinkAction;
  memberId?: (i: number) => string;
  expiresInDays?: number;
  purpose?: string;
}

export function issueLinks(options: IssueOptions): IssuedLink[] {
  const out: IssuedLink[] = new Array(options.count);
  const issuedAt = new Date(Date.now() - 60_000);
  const expiresAt = new Date(Date.now() + (options.expiresInDays ?? 30) * 86_400_000).toISOString();
  const keys = linkKeys(options.secret);
  const prefix = `${options.publicBaseUrl.replace(/\/+$/, '')}/l/`;
  for (let i = 0; i < options.count; i++) {
    const target = options.targets[i % options.targets.length];
    const memberId = options.memberId?.(i) ?? `m${i}`;
    const outboxId = outboxIdFor({ workflowId: target.workflowId, purpose: options.purpose ?? 'group_invitation', recipientKey: `member:${memberId}`, version: '1' });
    const input: IssueInput = {
      secret: options.secret,
      publicBaseUrl: options.publicBaseUrl,
      outboxId,
      spec: { actions: [options.action], workflowId: target.workflowId, subjectId: target.subjectId, version: '1', expiresAt },
      memberId,
      language: LANGUAGES[i % LANGUAGES.length],
      name: `Member ${i}`,
      issuedAt,
    };
    const url = issueLinkUrl(input);
    const claims = claimsForOutbox(input);
    out[i] = {
      token: url.slice(prefix.length),
      memberId,
      workflowId: target.workflowId,
      useId: useIdFor(keys, claims.linkId, ''),
      expiresAt: claims.expiresAt,
    };
  }
  return out;
}

/** Records earlier uses of these links straight in link_uses (the state after they were clicked). */
export async function markUsed(models: Models, links: IssuedLink[], batch = 5_000): Promise<void> {
  const usedAt = new Date(Date.now() - 3_600_000);
  for (let i = 0; i < links.length; i += batch) {
    await models.LinkUse.insertMany(
      links.slice(i, i + batch).map((l) => ({ _id: l.useId, usedAt, expiresMonth: monthOf(l.expiresAt) })),
      { ordered: false },
    );
  }
}

/** A deterministic shuffle (the same sample on every run of one size). */
export function shuffled<T>(items: readonly T[], seed = 42): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const next = () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
