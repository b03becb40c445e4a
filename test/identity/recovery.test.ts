import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import {
  LoginDocument,
  MeDocument,
  MeVerifiedDocument,
  RefreshSessionDocument,
  RequestEmailVerificationDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  VerifyEmailDocument,
} from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi({ workers: true });
});
after(async () => {
  await api.close();
});


interface Recorded {
  recipient: string;
  subject: string;
  body: string;
  template: string;
  data: { token: string; link: string; expiresAt: string };
}
/** What was sent to `recipient` (sending is a job: wait for the queue to be empty first). */
async function messages(recipient: string, template: string): Promise<Recorded[]> {
  await api.drainJobs();
  return api.sql<Recorded>(
    'select recipient, subject, body, template, data from messaging_recorded_message where recipient = $1 and template = $2 order by created_at',
    [recipient, template],
  );
}
async function lastToken(recipient: string, template: string): Promise<string> {
  const list = await messages(recipient, template);
  assert.ok(list.length > 0, `no ${template} message to ${recipient}`);
  return list.at(-1)!.data.token;
}
const auditRows = (action: string) =>
  api.sql<{ organization_id: string | null; user_id: string | null; changes: Record<string, unknown> | null }>(
    'select organization_id, user_id, changes from audit_log where action = $1 order by seq',
    [action],
  );

async function signIn(email: string, password = DEMO_PASSWORD) {
  const res = await api.gql(LoginDocument, { input: { email, password } });
  assert.equal(res.errors, undefined, JSON.stringify(res.errors));
  return res.data!.login;
}

describe('requestPasswordReset / resetPassword', () => {
  test('the same answer for known and unknown emails; only a known, active account gets an email', async () => {
    const known = await api.gql(RequestPasswordResetDocument, { email: 'Sales@Acme.test' });
    const unknown = await api.gql(RequestPasswordResetDocument, { email: 'nobody@acme.test' });
    assert.deepEqual(known.data, { requestPasswordReset: true });
    assert.deepEqual(unknown.data, { requestPasswordReset: true });
    assert.equal(known.errors, undefined);
    assert.equal(unknown.errors, undefined);

    const sent = await messages('sales@acme.test', 'password_reset');
    assert.equal(sent.length, 1);
    assert.ok(sent[0].body.includes(sent[0].data.link));
    assert.ok(sent[0].data.link.startsWith(`${api.app.config.publicUrl}/reset-password?token=`));
    const ttl = new Date(sent[0].data.expiresAt).getTime() - Date.now();
    assert.ok(ttl > 55 * 60_000 && ttl <= 60 * 60_000, `expires in about an hour, got ${ttl} ms`);
    assert.equal((await messages('nobody@acme.test', 'password_reset')).length, 0);

    // Only the hash is stored.
    const stored = await api.sql<{ token_hash: string }>(
      "select token_hash from identity_user_token t join identity_user u on u.id = t.user_id where u.email = 'sales@acme.test'",
    );
    assert.equal(stored.length, 1);
    assert.notEqual(stored[0].token_hash, sent[0].data.token);

    const audit = await auditRows('auth.password_reset_request');
    assert.equal(audit.length, 2);
    assert.ok(audit.every((a) => a.organization_id === null));
    assert.equal(audit[0].changes!.sent, true);
    assert.equal(audit[1].changes!.reason, 'unknown_email');

    assert.equal(errorCode(await api.gql(RequestPasswordResetDocument, { email: 'not-an-email' })), 'BAD_USER_INPUT');
  });

  test('resets the password once: revokes every session, clears the lockout, refuses the token again', async () => {
    const email = 'support@acme.test';
    const one = await signIn(email);
    const two = await signIn(email);
    // Lock the account first: a reset must clear the lockout.
    for (let i = 0; i < 5; i++) await api.gql(LoginDocument, { input: { email, password: 'Wrong!Pass1' } });
    assert.equal((await api.gql(LoginDocument, { input: { email, password: DEMO_PASSWORD } })).errors![0].extensions!.reason, 'ACCOUNT_LOCKED');

    await api.gql(RequestPasswordResetDocument, { email });
    const token = await lastToken(email, 'password_reset');

    const weak = await api.gql(ResetPasswordDocument, { token, newPassword: 'weakpass' });
    assert.equal(errorCode(weak), 'BAD_USER_INPUT');
    assert.equal(weak.errors![0].extensions!.field, 'newPassword');
    const reused = await api.gql(ResetPasswordDocument, { token, newPassword: DEMO_PASSWORD });
    assert.equal(errorCode(reused), 'BAD_USER_INPUT');
    assert.equal(reused.errors![0].extensions!.field, 'newPassword');

    // A refused new password does not spend the token.
    const ok = await api.gql(ResetPasswordDocument, { token, newPassword: 'Reset!Pass2026' });
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    assert.equal(ok.data!.resetPassword, true);

    for (const s of [one, two]) {
      assert.equal(errorCode(await api.gql(MeDocument, {}, s.accessToken)), 'UNAUTHENTICATED');
      assert.equal(errorCode(await api.gql(RefreshSessionDocument, { refreshToken: s.refreshToken })), 'UNAUTHENTICATED');
    }
    assert.equal(errorCode(await api.gql(LoginDocument, { input: { email, password: DEMO_PASSWORD } })), 'UNAUTHENTICATED');
    await signIn(email, 'Reset!Pass2026');

    const again = await api.gql(ResetPasswordDocument, { token, newPassword: 'Other!Pass2026' });
    assert.equal(errorCode(again), 'BAD_USER_INPUT');
    assert.equal(again.errors![0].extensions!.field, 'token');

    const [audit] = await auditRows('auth.password_reset');
    assert.equal(audit.organization_id, null);
    assert.equal(audit.changes!.revokedSessions, 2);
    assert.ok((await auditRows('auth.password_reset_failed')).length >= 1);
  });

  test('a newer request invalidates the older token; unknown and expired tokens are refused', async () => {
    const email = 'editor@acme.test';
    await api.gql(RequestPasswordResetDocument, { email });
    const older = await lastToken(email, 'password_reset');
    await api.gql(RequestPasswordResetDocument, { email });
    const newer = await lastToken(email, 'password_reset');
    assert.notEqual(older, newer);

    const stale = await api.gql(ResetPasswordDocument, { token: older, newPassword: 'Newer!Pass2026' });
    assert.equal(stale.errors![0].extensions!.field, 'token');
    const unknown = await api.gql(ResetPasswordDocument, { token: 'made-up-token', newPassword: 'Newer!Pass2026' });
    assert.equal(errorCode(unknown), 'BAD_USER_INPUT');
    assert.equal(unknown.errors![0].extensions!.field, 'token');

    await api.sql("update identity_user_token set expires_at = now() - interval '1 second' where used_at is null");
    const expired = await api.gql(ResetPasswordDocument, { token: newer, newPassword: 'Newer!Pass2026' });
    assert.equal(expired.errors![0].extensions!.field, 'token');
    await signIn(email);
  });

  test('a suspended account gets no reset email, and still the same answer', async () => {
    await api.sql("update identity_user set status = 'suspended' where email = 'auditor@acme.test'");
    const res = await api.gql(RequestPasswordResetDocument, { email: 'auditor@acme.test' });
    assert.deepEqual(res.data, { requestPasswordReset: true });
    assert.equal((await messages('auditor@acme.test', 'password_reset')).length, 0);
  });
});

describe('requestEmailVerification / verifyEmail', () => {
  test('requires a signed-in user; verified users get no email', async () => {
    assert.equal(errorCode(await api.gql(RequestEmailVerificationDocument, {})), 'UNAUTHENTICATED');
    const { accessToken } = await signIn('analyst@acme.test');
    const res = await api.gql(RequestEmailVerificationDocument, {}, accessToken);
    assert.equal(res.data!.requestEmailVerification, true);
    assert.equal((await messages('analyst@acme.test', 'email_verification')).length, 0);
  });

  test('verifies the email once with the emailed token', async () => {
    const email = 'finance.officer@acme.test';
    await api.sql('update identity_user set email_verified_at = null where email = $1', [email]);
    const { accessToken } = await signIn(email);
    assert.equal((await api.gql(MeVerifiedDocument, {}, accessToken)).data!.me.emailVerifiedAt, null);

    await api.gql(RequestEmailVerificationDocument, {}, accessToken);
    const older = await lastToken(email, 'email_verification');
    assert.equal((await api.gql(RequestEmailVerificationDocument, {}, accessToken)).data!.requestEmailVerification, true);
    const sent = await messages(email, 'email_verification');
    assert.equal(sent.length, 2);
    const token = sent[1].data.token;
    const ttl = new Date(sent[1].data.expiresAt).getTime() - Date.now();
    assert.ok(ttl > 23 * 3600_000 && ttl <= 24 * 3600_000);

    const stale = await api.gql(VerifyEmailDocument, { token: older });
    assert.equal(stale.errors![0].extensions!.field, 'token', 'the newer request replaced the older token');
    // A password reset token is not a verification token.
    await api.gql(RequestPasswordResetDocument, { email });
    const resetToken = await lastToken(email, 'password_reset');
    assert.equal((await api.gql(VerifyEmailDocument, { token: resetToken })).errors![0].extensions!.field, 'token');

    const ok = await api.gql(VerifyEmailDocument, { token });
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    assert.equal(ok.data!.verifyEmail, true);
    assert.ok((await api.gql(MeVerifiedDocument, {}, accessToken)).data!.me.emailVerifiedAt);

    const again = await api.gql(VerifyEmailDocument, { token });
    assert.equal(errorCode(again), 'BAD_USER_INPUT');
    assert.equal(again.errors![0].extensions!.field, 'token');
    const [audit] = await auditRows('auth.email_verify');
    assert.equal(audit.organization_id, null);
    assert.ok(audit.user_id);
  });

  test('an expired verification token is refused', async () => {
    const email = 'csr.manager@acme.test';
    await api.sql('update identity_user set email_verified_at = null where email = $1', [email]);
    const { accessToken } = await signIn(email);
    await api.gql(RequestEmailVerificationDocument, {}, accessToken);
    const token = await lastToken(email, 'email_verification');
    await api.sql("update identity_user_token set expires_at = now() - interval '1 second' where purpose = 'email_verification' and used_at is null");
    assert.equal((await api.gql(VerifyEmailDocument, { token })).errors![0].extensions!.field, 'token');
    assert.equal((await api.gql(MeVerifiedDocument, {}, accessToken)).data!.me.emailVerifiedAt, null);
  });
});
