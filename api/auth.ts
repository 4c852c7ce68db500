/**
 * API keys: `Authorization: Bearer <keyId>.<secret>`. Only an HMAC-SHA256 of the secret (keyed by
 * LINK_SECRET) is stored, so a leaked database does not leak usable keys.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Models, ApiKeyDoc } from '../domain/models';
import type { Actor } from '../domain/types';
import { ForbiddenError, UnauthenticatedError } from './errors';

export const ROLES = ['staff', 'board_secretary', 'operator'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: resolved from the API key on every request. */
export interface Principal {
  keyId: string;
  role: Role;
  country?: string;
  owner: string;
}

const KEY_ID = /^k_[a-f0-9]{16}$/;
const SECRET = /^[A-Za-z0-9_-]{43}$/;

/** HMAC of a key's secret half; the only form in which a secret is stored. */
export function hashSecret(linkSecret: string, secret: string): string {
  return createHmac('sha256', linkSecret).update(`api-key:${secret}`).digest('hex');
}

/** A fresh key: the id (public half) and the full token shown once to its owner. */
export function generateKey(): { keyId: string; secret: string; token: string } {
  const keyId = `k_${randomBytes(8).toString('hex')}`;
  const secret = randomBytes(32).toString('base64url');
  return { keyId, secret, token: `${keyId}.${secret}` };
}

/** Stores a new key (hash only) and returns the token, which is never retrievable again. */
export async function createApiKey(
  models: Models,
  linkSecret: string,
  input: { role: Role; owner: string; country?: string },
): Promise<{ key: ApiKeyDoc; token: string }> {
  if (input.role === 'board_secretary' && !input.country) {
    throw new Error('a board secretary key needs a country');
  }
  const { keyId, secret, token } = generateKey();
  const key = await models.ApiKey.create({
    _id: keyId,
    hash: hashSecret(linkSecret, secret),
    role: input.role,
    ...(input.role === 'board_secretary' ? { country: input.country } : {}),
    owner: input.owner,
    createdAt: new Date(),
  });
  return { key: key.toObject(), token };
}

/** Reads the Authorization header and resolves it to a principal; throws UnauthenticatedError. */
export async function authenticate(
  models: Models,
  linkSecret: string,
  header: string | undefined,
): Promise<Principal> {
  if (!header) throw new UnauthenticatedError();
  const match = /^Bearer\s+([^\s.]+)\.(\S+)$/i.exec(header.trim());
  if (!match || !KEY_ID.test(match[1]) || !SECRET.test(match[2])) {
    throw new UnauthenticatedError('malformed API key; expected Authorization: Bearer <keyId>.<secret>');
  }
  const [, keyId, secret] = match;
  const key = await models.ApiKey.findById(keyId).lean();
  const expected = Buffer.from(key?.hash ?? '0'.repeat(64), 'hex');
  const actual = Buffer.from(hashSecret(linkSecret, secret), 'hex');
  // Compare even when the key is unknown, so timing does not tell which key ids exist.
  const same = expected.length === actual.length && timingSafeEqual(expected, actual);
  if (!key || !same || key.revokedAt) throw new UnauthenticatedError('unknown or revoked API key');
  return { keyId: key._id, role: key.role, country: key.country, owner: key.owner };
}

/** Who may call a route: a list of roles, and for board secretaries the country of the request. */
export interface Access {
  roles: Role[];
  /** The country the request acts on (from its path); a board secretary must hold a key for it. */
  country?: (params: Record<string, string>) => string | undefined;
}

/** Throws ForbiddenError when the principal's role is not among the route's roles. */
export function checkRole(principal: Principal, access: Access): void {
  if (!access.roles.includes(principal.role)) {
    throw new ForbiddenError(`role ${principal.role} may not use this route`);
  }
}

/** Throws ForbiddenError when a board secretary acts on another country than their own. */
export function checkCountry(principal: Principal, access: Access, params: unknown): void {
  if (principal.role !== 'board_secretary' || !access.country) return;
  const country = access.country(params as Record<string, string>);
  if (country !== principal.country) {
    throw new ForbiddenError(`this key acts for the ${principal.country} board only`);
  }
}

/** The audit actor for a principal: the key id, never a name. */
export function actorOf(principal: Principal): Actor {
  return { kind: principal.role, id: principal.keyId };
}
