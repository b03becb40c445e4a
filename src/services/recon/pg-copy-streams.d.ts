/** The part of pg-copy-streams (no bundled types) that normalization uses. */
declare module 'pg-copy-streams' {
  import type { Submittable } from 'pg';
  import type { Writable } from 'node:stream';

  export type CopyStreamQuery = Writable & Submittable & { rowCount: number };
  export function from(text: string): CopyStreamQuery;
}
