/**
 * Secrets that act as keys (admin links, manage links, visitor cookies): 160 random bits, written
 * in lower-case base32 so they survive being pasted anywhere, and stored only as SHA-256 hashes.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';

const KEY_BYTES = 20;
const KEY_PATTERN = /^[a-z2-7]{32}$/;

/** A new key: 20 bytes (160 bits) from the platform CSPRNG, 32 base32 characters. */
export function generateKey(): string {
  const bytes = new Uint8Array(KEY_BYTES);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Whether a string has the shape of a key (checked before hashing anything a stranger sent). */
export function looksLikeKey(value: string | undefined | null): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value);
}

/** SHA-256 of a key, hex: what the database stores and looks up by. */
export function hashKey(key: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(key)));
}
