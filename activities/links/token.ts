/**
 * Emailed links as sealed tokens: the claims (which link, which actions, which workflow and
 * subject, for which member and content version, until when) are encrypted and authenticated with
 * AES-256-GCM under a key derived from LINK_SECRET. Opening a link therefore needs no database
 * lookup, the URL shows nothing (no ids, no name), and any change to a token makes it invalid.
 *
 * The nonce is synthetic (an HMAC of the claims, as in SIV): the same claims always give the same
 * token. With the link id derived from the outbox entry, a mail sent again after an unknown SMTP
 * outcome carries exactly the same link as the first one.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { LinkAction } from '../mail/contract';
import { LANGUAGES, type Language } from '../../domain/types';
import { linkKeys, storedHash, type LinkKeys } from './keys';

export interface LinkClaims {
  /** 128 bits, base64url: derived from the outbox entry (linkIdForOutbox) or random. */
  linkId: string;
  actions: LinkAction[];
  workflowId: string;
  subjectId: string;
  memberId: string;
  version: string;
  /** Epoch milliseconds (whole seconds). */
  expiresAt: number;
  issuedAt: number;
  /** The recipient's language and name when the mail was sent: the page greets "as whom". */
  language: Language;
  name: string;
}

const FORMAT = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Far above a real token (about 300 characters); anything longer is refused before decoding. */
export const MAX_TOKEN_LENGTH = 1024;
const TOKEN_CHARS = /^[A-Za-z0-9_-]+$/;

/** One letter per action keeps tokens short. Never reuse a letter for another meaning. */
const ACTION_CODES: Record<LinkAction, string> = {
  confirm_membership: 'c',
  accept_moderator: 'm',
  approve_consolidation: 'a',
  request_change: 'r',
  rsvp: 'v',
  react: 'x',
  report_progress: 'p',
  unsubscribe: 'u',
  erase_data: 'e',
};
const ACTION_BY_CODE = new Map(Object.entries(ACTION_CODES).map(([action, code]) => [code, action as LinkAction]));

const idText = z.string().min(1).max(200);
const wire = z.tuple([
  z.literal(FORMAT),
  z.string().regex(/^[A-Za-z0-9_-]{22}$/), // 16 bytes
  z.string().regex(/^[a-z]{1,9}$/),
  idText,
  idText,
  idText,
  z.string().max(50),
  z.number().int().positive(),
  z.number().int().nonnegative(),
  z.enum(LANGUAGES),
  z.string().max(300),
]);

/** Seals claims into the URL-safe token that goes after `/l/`. */
export function sealLink(secret: string, claims: LinkClaims): string {
  const keys = linkKeys(secret);
  const codes = claims.actions.map((a) => ACTION_CODES[a]).join('');
  const plaintext = Buffer.from(
    JSON.stringify([
      FORMAT,
      claims.linkId,
      codes,
      claims.workflowId,
      claims.subjectId,
      claims.memberId,
      claims.version,
      Math.floor(claims.expiresAt / 1000),
      Math.floor(claims.issuedAt / 1000),
      claims.language,
      claims.name,
    ]),
    'utf8',
  );
  wire.parse(JSON.parse(plaintext.toString('utf8'))); // refuse to issue what open() would refuse
  const nonce = createHmac('sha256', keys.nonce).update(plaintext).digest().subarray(0, NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', keys.seal, nonce);
  cipher.setAAD(Buffer.from([FORMAT]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([Buffer.from([FORMAT]), nonce, body, cipher.getAuthTag()]).toString('base64url');
}

export type OpenResult =
  | { ok: true; claims: LinkClaims }
  | { ok: false; reason: 'malformed' | 'forged' | 'expired' };

/**
 * Opens a token: authenticity first, then expiry. The reason is for logs and tests only; every
 * failure gets the same answer on the page.
 */
export function openLink(secret: string, token: unknown, now = Date.now()): OpenResult {
  if (typeof token !== 'string' || token.length < 40 || token.length > MAX_TOKEN_LENGTH || !TOKEN_CHARS.test(token)) {
    return { ok: false, reason: 'malformed' };
  }
  const raw = Buffer.from(token, 'base64url');
  // base64 leaves spare bits in the last character: refuse any spelling but the canonical one,
  // so that "one character changed" can never open the same token.
  if (raw.toString('base64url') !== token || raw.length < 1 + NONCE_BYTES + TAG_BYTES + 2 || raw[0] !== FORMAT) {
    return { ok: false, reason: 'malformed' };
  }
  const keys = linkKeys(secret);
  const nonce = raw.subarray(1, 1 + NONCE_BYTES);
  const body = raw.subarray(1 + NONCE_BYTES, raw.length - TAG_BYTES);
  const tag = raw.subarray(raw.length - TAG_BYTES);
  let plaintext: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keys.seal, nonce);
    decipher.setAAD(Buffer.from([FORMAT]));
    decipher.setAuthTag(tag);
    plaintext = Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return { ok: false, reason: 'forged' };
  }
  const expectedNonce = createHmac('sha256', keys.nonce).update(plaintext).digest().subarray(0, NONCE_BYTES);
  if (!timingSafeEqual(expectedNonce, nonce)) return { ok: false, reason: 'forged' };
  let parsed: z.infer<typeof wire>;
  try {
    parsed = wire.parse(JSON.parse(plaintext.toString('utf8')));
  } catch {
    return { ok: false, reason: 'forged' };
  }
  const [, linkId, codes, workflowId, subjectId, memberId, version, exp, iat, language, name] = parsed;
  const actions: LinkAction[] = [];
  for (const code of codes) {
    const action = ACTION_BY_CODE.get(code);
    if (!action) return { ok: false, reason: 'forged' };
    actions.push(action);
  }
  const claims: LinkClaims = {
    linkId, actions, workflowId, subjectId, memberId, version,
    expiresAt: exp * 1000, issuedAt: iat * 1000, language, name,
  };
  if (claims.expiresAt <= now) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

/** The link id of the link an outbox entry carries: a resend carries the same link. */
export function linkIdForOutbox(secret: string, outboxId: string, actions: readonly LinkAction[]): string {
  return createHmac('sha256', linkKeys(secret).linkId)
    .update(`${outboxId}|${[...actions].sort().join(',')}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

/** A fresh random link id, for links issued outside the outbox (staff tools, tests). */
export function randomLinkId(): string {
  return randomBytes(16).toString('base64url');
}

/** The public URL of a token: built from PUBLIC_BASE_URL only, never from a request's Host. */
export function linkUrl(publicBaseUrl: string, token: string): string {
  return `${publicBaseUrl.replace(/\/+$/, '')}/l/${token}`;
}

/**
 * The stored id of one use of a link. `scope` separates the uses one link allows (a public-review
 * link reacts once per recommendation: `react:<id>`); workflow actions use the empty scope, so a
 * link that offers "approve" and "request a change" can be used for one of them, once.
 */
export function useIdFor(keys: LinkKeys, linkId: string, scope: string): string {
  return storedHash(keys, 'use', linkId, scope);
}

/** The Temporal update id of a use: a redelivery with it returns the first result. */
export function updateIdFor(useId: string): string {
  return `link:${useId.slice(0, 40)}`;
}

/** `YYYY-MM` of an instant (UTC), the sweep's bucket. */
export function monthOf(at: number): string {
  return new Date(at).toISOString().slice(0, 7);
}
