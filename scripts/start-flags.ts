/**
 * The Node flags `npm start` runs the server with (package.json's start script), for whatever
 * else starts the built server and must run it as production does: bench:read (every participant
 * gets them) and the shutdown test (which also proves the project's Node accepts them).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function startFlags(root: string): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const command = /\bnode((?:\s+--[\w-]+(?:=\S+)?)*)\s+dist\/src\/main\.js/.exec(scripts.start);
  if (!command) throw new Error(`package.json's start script does not run node dist/src/main.js: ${scripts.start}`);
  return command[1].split(/\s+/).filter(Boolean);
}
