/**
 * Secrets that development and test setups generate once and keep under DATA_DIR
 * (production passes them in the environment): the app role's password, signing keys, the encryption key.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export type LocalSecrets = Record<string, string>;

export function localSecret(dataDir: string, name: string, generate: () => string): string {
  const file = join(dataDir, 'secrets.json');
  const secrets: LocalSecrets = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  if (!secrets[name]) {
    secrets[name] = generate();
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name];
}
