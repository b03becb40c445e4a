/** Housekeeping of credentials (run by the cleanup-expired job, without a tenant). */
import type { RequestContext } from '../../core/context/request-context';

export interface CredentialCleanup {
  sessions: number;
  refreshTokens: number;
  userTokens: number;
}

/**
 * Deletes sessions and refresh tokens past their expiry, and single-use tokens that were used or
 * have expired. Revoked sessions stay until they expire (the account's session list shows them).
 * Idempotent: a second run finds nothing more to delete.
 */
export async function deleteExpiredCredentials(ctx: RequestContext): Promise<CredentialCleanup> {
  const trx = await ctx.db.trx();
  const count = (r: { rowCount?: number | null }) => r.rowCount ?? 0;
  const refreshTokens = count(await trx.raw('delete from identity_refresh_token where expires_at < now()'));
  // Their remaining refresh tokens go with them (on delete cascade).
  const sessions = count(await trx.raw('delete from identity_session where expires_at < now()'));
  const userTokens = count(await trx.raw('delete from identity_user_token where used_at is not null or expires_at < now()'));
  return { sessions, refreshTokens, userTokens };
}
