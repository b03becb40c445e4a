/**
 * Encryption at rest for secrets the server must read back (MFA secrets): AES-256-GCM with a
 * random 96-bit nonce per value. `context` is bound as associated data, so a sealed value copied
 * to another row (another user's secret) does not open there.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 'v1';

export class SecretBox {
  private readonly key: Buffer;

  /** `key`: 32 bytes, base64url (ENCRYPTION_KEY). */
  constructor(key: string) {
    this.key = Buffer.from(key, 'base64url');
    if (this.key.length !== 32) throw new Error('SecretBox: the key must be 32 bytes (base64url)');
  }

  static generateKey(): string {
    return randomBytes(32).toString('base64url');
  }

  /** `v1.<nonce>.<ciphertext>.<tag>`, each base64url. */
  seal(plaintext: string, context: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, nonce, body, cipher.getAuthTag()].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('.');
  }

  /** The plaintext; throws when the value was altered, sealed with another key or for another context. */
  open(sealed: string, context: string): string {
    const [version, nonce, body, tag, ...rest] = sealed.split('.');
    if (version !== VERSION || !nonce || body === undefined || !tag || rest.length) throw new Error('SecretBox: not a sealed value');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(nonce, 'base64url'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }
}
