import { randomBytes } from 'node:crypto';
import {
  linkIdForOutbox, linkUrl, MAX_TOKEN_LENGTH, openLink, randomLinkId, sealLink, type LinkClaims,
} from '../../activities/links/token';
import { claimsForOutbox, issueLinkUrl, LinkSpecError } from '../../activities/links/issue';

const secret = randomBytes(32).toString('hex');
const now = Date.parse('2026-01-10T10:00:00Z');

function claims(over: Partial<LinkClaims> = {}): LinkClaims {
  return {
    linkId: randomLinkId(),
    actions: ['approve_consolidation', 'request_change'],
    workflowId: 'cycle:c2026:group:g-brussels',
    subjectId: 'g-brussels',
    memberId: 'm_0123456789abcdef',
    version: '3',
    expiresAt: Date.parse('2026-02-01T00:00:00Z'),
    issuedAt: Date.parse('2026-01-05T00:00:00Z'),
    language: 'fr',
    name: 'Ana <b>Lopez</b>\r\nBcc: x@y',
    ...over,
  };
}

/** Flips one character of a token to another URL-safe character. */
function flip(token: string, i: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const c = alphabet[(alphabet.indexOf(token[i]) + 1) % alphabet.length];
  return token.slice(0, i) + c + token.slice(i + 1);
}

describe('sealed link tokens', () => {
  test('when sealed and opened with the same secret, then the claims come back unchanged', () => {
    const c = claims();
    const opened = openLink(secret, sealLink(secret, c), now);
    expect(opened).toEqual({ ok: true, claims: c });
  });

  test('when a token is sealed, then it is URL-safe, short, and shows no id or name', () => {
    const c = claims();
    const token = sealLink(secret, c);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token.length).toBeLessThan(400);
    const decoded = Buffer.from(token, 'base64url').toString('latin1');
    for (const visible of ['cycle:', 'g-brussels', 'm_0123', 'Lopez']) expect(decoded).not.toContain(visible);
  });

  test('when any single character is changed, then the token is refused (every position)', () => {
    const token = sealLink(secret, claims());
    for (let i = 0; i < token.length; i++) {
      const result = openLink(secret, flip(token, i), now);
      expect(result.ok).toBe(false);
    }
  });

  test('when a token is truncated or extended, then it is refused', () => {
    const token = sealLink(secret, claims());
    for (const cut of [1, 2, 3, 10, token.length - 40]) expect(openLink(secret, token.slice(0, -cut), now).ok).toBe(false);
    expect(openLink(secret, `${token}A`, now).ok).toBe(false);
    expect(openLink(secret, token + token, now).ok).toBe(false);
  });

  test('when the input is not a token at all, then it is refused as malformed before any crypto', () => {
    const bad: unknown[] = [
      '', 'x', 'a'.repeat(39), 'a'.repeat(MAX_TOKEN_LENGTH + 1), 'a'.repeat(1024 * 1024), `${'A'.repeat(60)}\u0000`,
      `${'A'.repeat(60)}=`, '{"$ne":null}', { $ne: null }, ['a'], null, undefined, 42,
    ];
    for (const input of bad) expect(openLink(secret, input, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  test('when opened with another secret, then it is refused as forged', () => {
    const token = sealLink(secret, claims());
    expect(openLink(randomBytes(32).toString('hex'), token, now)).toEqual({ ok: false, reason: 'forged' });
  });

  test('when the link has expired, then it is refused as expired (and valid one second before)', () => {
    const c = claims({ expiresAt: now + 1000 });
    const token = sealLink(secret, c);
    expect(openLink(secret, token, now).ok).toBe(true);
    expect(openLink(secret, token, now + 1000)).toEqual({ ok: false, reason: 'expired' });
  });

  test('when the same outbox entry is rendered twice, then it carries the same link; another entry gets another', () => {
    const spec = {
      actions: ['confirm_membership' as const],
      workflowId: 'cycle:c2026:group:g1',
      subjectId: 'g1',
      version: '1',
      expiresAt: '2026-03-01T00:00:00.000Z',
    };
    const input = {
      secret, publicBaseUrl: 'https://participation.smart.coop/', outboxId: 'a'.repeat(64), spec,
      memberId: 'm1', language: 'nl' as const, name: 'Jan', issuedAt: new Date('2026-01-01T00:00:00Z'),
    };
    const first = issueLinkUrl(input);
    expect(issueLinkUrl({ ...input })).toBe(first);
    expect(first.startsWith('https://participation.smart.coop/l/')).toBe(true);
    expect(issueLinkUrl({ ...input, outboxId: 'b'.repeat(64) })).not.toBe(first);
    expect(linkIdForOutbox(secret, 'a'.repeat(64), ['confirm_membership'])).toBe(claimsForOutbox(input).linkId);
  });

  test('when a workflow asks for an action on the wrong kind of workflow, then no link is issued', () => {
    expect(() =>
      claimsForOutbox({
        secret, publicBaseUrl: 'https://x.example', outboxId: 'o', memberId: 'm', language: 'en', name: 'A',
        issuedAt: new Date(), spec: { actions: ['report_progress'], workflowId: 'cycle:c:group:g', subjectId: 'g', version: '1', expiresAt: '2026-01-01T00:00:00Z' },
      }),
    ).toThrow(LinkSpecError);
  });

  test('when the base URL has a path or a trailing slash, then the link keeps the path once', () => {
    expect(linkUrl('https://smart.coop/participation/', 'TOKEN')).toBe('https://smart.coop/participation/l/TOKEN');
  });
});
