export { assumeViewer, resolveViewer } from './viewer';
export { findUserByEmail, memberOrganizations, openSession } from './auth.service';
export type { AuthPayload } from './auth.service';
export * as account from './account.service';
export * as recovery from './recovery.service';
export { deleteExpiredCredentials, type CredentialCleanup } from './maintenance.service';
