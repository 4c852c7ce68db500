/**
 * Keys derived from LINK_SECRET, one per purpose (HKDF-SHA256), so that the link encryption key,
 * the key that makes link ids deterministic per outbox entry and the key that hashes stored use
 * ids are independent of each other and of the API-key hashing that shares the secret.
 */
import { createHmac, hkdfSync } from 'node:crypto';

export interface LinkKeys {
  /** AES-256-GCM key that seals the token. */
  readonly seal: Buffer;
  /** HMAC key for the synthetic nonce (same claims, same token: a resent mail carries the same link). */
  readonly nonce: Buffer;
  /** HMAC key that derives a link id from its outbox entry. */
  readonly linkId: Buffer;
  /** HMAC key for everything stored about links (use ids, revocation keys). */
  readonly stored: Buffer;
}

const SALT = 'smart-in-progress/links/v1';

function derive(secret: string, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), SALT, info, 32));
}

const cache = new Map<string, LinkKeys>();

/** The four keys for this secret (cached: derivation is per process, not per click). */
export function linkKeys(secret: string): LinkKeys {
  let keys = cache.get(secret);
  if (!keys) {
    if (secret.length < 32) throw new Error('LINK_SECRET must have at least 32 characters');
    keys = {
      seal: derive(secret, 'seal'),
      nonce: derive(secret, 'nonce'),
      linkId: derive(secret, 'link-id'),
      stored: derive(secret, 'stored'),
    };
    cache.set(secret, keys);
  }
  return keys;
}

/** Keyed hash (hex) of the given parts, for anything stored about a link. */
export function storedHash(keys: LinkKeys, ...parts: string[]): string {
  const mac = createHmac('sha256', keys.stored);
  for (const part of parts) mac.update(`${part.length}:${part}|`);
  return mac.digest('hex');
}
