/**
 * TOTP multi-factor authentication through the API. Codes come from otplib's authenticator and
 * the secret enableMfa returns, as an authenticator app would compute them. Each test enrols its
 * own seeded user: a code is spent once, so users must not share time steps across tests.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { authenticator } from 'otplib';
import { startTestApi, errorCode, DEMO_PASSWORD, type GqlResult, type TestApi } from '../support/api';
import { AuditLogsDocument, ConfirmMfaDocument, DisableMfaDocument, EnableMfaDocument, LoginDocument, MeMfaDocument } from '../__generated__/graphql';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(async () => {
  await api.close();
});

/** The code an app shows `steps` time steps (30 s) from now. */
const codeAt = (secret: string, steps = 0) => authenticator.clone({ epoch: Date.now() + steps * 30_000 }).generate(secret);

/** A 6-digit code valid in none of the steps the server accepts now. */
function wrongCode(secret: string): string {
  const valid = new Set([-2, -1, 0, 1, 2].map((s) => codeAt(secret, s)));
  for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
    const code = String(n).padStart(6, '0');
    if (!valid.has(code)) return code;
  }
}

const login = (email: string, totpCode?: string, password = DEMO_PASSWORD) => api.gql(LoginDocument, { input: { email, password, totpCode } });

function reasonOf(res: GqlResult<unknown>) {
  return res.errors?.[0]?.extensions?.reason;
}

async function sessionCount(email: string): Promise<number> {
  const rows = await api.sql('select count(*)::int as n from identity_session s join identity_user u on u.id = s.user_id where u.email = $1', [email]);
  return rows[0].n;
}

async function auditActions(email: string): Promise<{ action: string; changes: Record<string, unknown> | null }[]> {
  return api.sql(
    'select a.action, a.changes from audit_log a join identity_user u on a.resource_id = u.id::text where u.email = $1 order by a.created_at, a.seq',
    [email],
  );
}

/** Signs in, enrols and confirms MFA with the current code; the next code to use is codeAt(secret, 1). */
async function enrol(email: string) {
  const signedIn = await login(email);
  assert.equal(signedIn.errors, undefined, JSON.stringify(signedIn.errors));
  const token = signedIn.data!.login.accessToken;
  const started = await api.gql(EnableMfaDocument, {}, token);
  assert.equal(started.errors, undefined, JSON.stringify(started.errors));
  const { secret, otpauthUrl } = started.data!.enableMfa;
  const confirmCode = codeAt(secret);
  const confirmed = await api.gql(ConfirmMfaDocument, { code: confirmCode }, token);
  assert.equal(confirmed.errors, undefined, JSON.stringify(confirmed.errors));
  return { token, secret, otpauthUrl, confirmCode, recoveryCodes: confirmed.data!.confirmMfa.recoveryCodes };
}

describe('enrolment and sign-in with a code', () => {
  test('enable, confirm, then login needs the code and succeeds with it', async () => {
    const email = 'sales@acme.test';
    const { token, secret, otpauthUrl, recoveryCodes } = await enrol(email);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    assert.ok(otpauthUrl.startsWith('otpauth://totp/Tessera:sales%40acme.test?'), otpauthUrl);
    assert.ok(otpauthUrl.includes(`secret=${secret}`));
    assert.equal(recoveryCodes.length, 10);
    assert.equal(new Set(recoveryCodes).size, 10);
    assert.equal((await api.gql(MeMfaDocument, {}, token)).data!.me.mfaEnabled, true);

    const sessionsBefore = await sessionCount(email);
    const missing = await login(email);
    assert.equal(errorCode(missing), 'UNAUTHENTICATED');
    assert.equal(reasonOf(missing), 'MFA_REQUIRED');
    assert.equal(missing.data ?? null, null);
    assert.equal(await sessionCount(email), sessionsBefore, 'no session without the second factor');

    const ok = await login(email, codeAt(secret, 1));
    assert.equal(ok.errors, undefined, JSON.stringify(ok.errors));
    assert.equal(ok.data!.login.organization!.slug, 'acme');
    assert.equal((await api.gql(MeMfaDocument, {}, ok.data!.login.accessToken)).data!.me.email, email);
    assert.equal(await sessionCount(email), sessionsBefore + 1);

    const actions = (await auditActions(email)).map((a) => a.action);
    for (const action of ['auth.mfa_enrolment_start', 'auth.mfa_enable', 'auth.mfa_required']) assert.ok(actions.includes(action), action);
    // The organization's audit trail shows the enrolment to its auditors.
    const logs = await api.gql(AuditLogsDocument, { filter: { action: { eq: 'auth.mfa_enable' } } }, await api.login('admin', 'acme'));
    assert.equal(logs.data!.auditLogs.totalCount, 1);
  });

  test('the secret and the recovery codes are not stored in clear text', async () => {
    const email = 'support@acme.test';
    const token = (await login(email)).data!.login.accessToken;
    const { secret } = (await api.gql(EnableMfaDocument, {}, token)).data!.enableMfa;
    const pending = await api.sql('select mfa_enabled, mfa_secret, mfa_pending_secret from identity_user where email = $1', [email]);
    assert.equal(pending[0].mfa_enabled, false, 'not on before confirmation');
    assert.equal(pending[0].mfa_secret, null);
    assert.ok(pending[0].mfa_pending_secret.startsWith('v1.'));
    assert.ok(!pending[0].mfa_pending_secret.includes(secret));

    const { recoveryCodes } = (await api.gql(ConfirmMfaDocument, { code: codeAt(secret) }, token)).data!.confirmMfa;
    const rows = await api.sql('select mfa_secret, mfa_pending_secret, mfa_recovery_code_hashes from identity_user where email = $1', [email]);
    const stored = JSON.stringify(rows[0]);
    assert.ok(rows[0].mfa_secret.startsWith('v1.'));
    assert.equal(rows[0].mfa_pending_secret, null);
    assert.ok(!stored.includes(secret), 'secret in clear text');
    // Nor in any encoding that keeps its bytes visible.
    assert.ok(!stored.includes(Buffer.from(secret).toString('base64')));
    assert.equal(rows[0].mfa_recovery_code_hashes.length, 10);
    for (const code of recoveryCodes) {
      assert.ok(!stored.includes(code) && !stored.includes(code.replace(/-/g, '')), 'recovery code in clear text');
    }
  });

  test('a sealed secret copied to another user’s row does not open there', async () => {
    const email = 'editor@acme.test';
    await enrol(email);
    const { secret: analystSecret } = await enrol('analyst@acme.test');
    await api.sql(`update identity_user set mfa_secret = (select mfa_secret from identity_user where email = 'analyst@acme.test') where email = $1`, [email]);
    const sessionsBefore = await sessionCount(email);
    const res = await login(email, codeAt(analystSecret, 1));
    assert.ok(res.errors?.length, 'refused');
    assert.equal(res.data?.login ?? null, null);
    assert.equal(await sessionCount(email), sessionsBefore);
  });
});

describe('refusals', () => {
  test('a wrong code is refused, audited, and counts toward the lockout', async () => {
    const email = 'csr.manager@acme.test';
    const { secret } = await enrol(email);
    const bad = await login(email, wrongCode(secret));
    assert.equal(errorCode(bad), 'UNAUTHENTICATED');
    assert.equal(reasonOf(bad), 'MFA_INVALID');
    const failed = (await auditActions(email)).filter((a) => a.action === 'auth.login_failed');
    assert.equal(failed.at(-1)!.changes!.reason, 'bad_mfa_code');

    for (let i = 0; i < 4; i++) assert.equal(reasonOf(await login(email, wrongCode(secret))), 'MFA_INVALID');
    const locked = await login(email, codeAt(secret, 1));
    assert.equal(errorCode(locked), 'UNAUTHENTICATED');
    assert.equal(reasonOf(locked), 'ACCOUNT_LOCKED');
    assert.ok(Number(locked.errors![0].extensions!.retryAfter) > 29 * 60);
  });

  test('a code is accepted once: replaying it (or the confirmation code) is refused', async () => {
    const email = 'finance.officer@acme.test';
    const { secret, confirmCode } = await enrol(email);
    assert.equal(reasonOf(await login(email, confirmCode)), 'MFA_INVALID');
    const code = codeAt(secret, 1);
    assert.equal((await login(email, code)).errors, undefined);
    const replay = await login(email, code);
    assert.equal(errorCode(replay), 'UNAUTHENTICATED');
    assert.equal(reasonOf(replay), 'MFA_INVALID');
    const failed = (await auditActions(email)).filter((a) => a.action === 'auth.login_failed');
    assert.equal(failed.at(-1)!.changes!.reason, 'mfa_code_reused');
  });

  test('a recovery code works once, written any way', async () => {
    const email = 'me.officer@acme.test';
    const { recoveryCodes } = await enrol(email);
    const first = await login(email, recoveryCodes[0]);
    assert.equal(first.errors, undefined, JSON.stringify(first.errors));
    const again = await login(email, recoveryCodes[0]);
    assert.equal(reasonOf(again), 'MFA_INVALID');
    // Another one still works, lower case and without dashes.
    assert.equal((await login(email, recoveryCodes[1].replace(/-/g, '').toLowerCase())).errors, undefined);
    const rows = await api.sql('select jsonb_array_length(mfa_recovery_code_hashes) as n from identity_user where email = $1', [email]);
    assert.equal(rows[0].n, 8);
  });

  test('enrolment refusals: no token, no enrolment started, wrong code, already on', async () => {
    assert.equal(errorCode(await api.gql(EnableMfaDocument, {})), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(ConfirmMfaDocument, { code: '123456' })), 'UNAUTHENTICATED');
    const email = 'auditor@acme.test';
    const token = (await login(email)).data!.login.accessToken;
    assert.equal(errorCode(await api.gql(ConfirmMfaDocument, { code: '123456' }, token)), 'CONFLICT');
    const { secret } = (await api.gql(EnableMfaDocument, {}, token)).data!.enableMfa;
    const wrong = await api.gql(ConfirmMfaDocument, { code: wrongCode(secret) }, token);
    assert.equal(errorCode(wrong), 'BAD_USER_INPUT');
    assert.equal(wrong.errors![0].extensions!.field, 'code');
    assert.equal((await api.gql(MeMfaDocument, {}, token)).data!.me.mfaEnabled, false);
    assert.ok((await auditActions(email)).some((a) => a.action === 'auth.mfa_confirm_failed'));
    assert.equal((await api.gql(ConfirmMfaDocument, { code: codeAt(secret) }, token)).errors, undefined);
    assert.equal(errorCode(await api.gql(EnableMfaDocument, {}, token)), 'CONFLICT');
  });
});

describe('disableMfa', () => {
  test('needs the password and a code; then login needs no code', async () => {
    const email = 'supervisor@acme.test';
    const { token, secret } = await enrol(email);
    const code = codeAt(secret, 1);

    const wrongPassword = await api.gql(DisableMfaDocument, { input: { password: 'Wrong-password-1!', code } }, token);
    assert.equal(errorCode(wrongPassword), 'BAD_USER_INPUT');
    assert.equal(wrongPassword.errors![0].extensions!.field, 'password');
    const wrong = await api.gql(DisableMfaDocument, { input: { password: DEMO_PASSWORD, code: wrongCode(secret) } }, token);
    assert.equal(errorCode(wrong), 'BAD_USER_INPUT');
    assert.equal(wrong.errors![0].extensions!.field, 'code');
    assert.equal((await api.gql(MeMfaDocument, {}, token)).data!.me.mfaEnabled, true);
    const reasons = (await auditActions(email)).filter((a) => a.action === 'auth.mfa_disable_failed').map((a) => a.changes!.reason);
    assert.deepEqual(reasons, ['bad_password', 'bad_mfa_code']);

    const off = await api.gql(DisableMfaDocument, { input: { password: DEMO_PASSWORD, code } }, token);
    assert.equal(off.errors, undefined, JSON.stringify(off.errors));
    assert.equal((await api.gql(MeMfaDocument, {}, token)).data!.me.mfaEnabled, false);
    assert.ok((await auditActions(email)).some((a) => a.action === 'auth.mfa_disable'));
    const rows = await api.sql('select mfa_secret, mfa_recovery_code_hashes from identity_user where email = $1', [email]);
    assert.deepEqual(rows[0], { mfa_secret: null, mfa_recovery_code_hashes: [] });
    assert.equal((await login(email)).errors, undefined);
    assert.equal(errorCode(await api.gql(DisableMfaDocument, { input: { password: DEMO_PASSWORD, code } }, token)), 'CONFLICT');
  });

  test('refused without a token', async () => {
    assert.equal(errorCode(await api.gql(DisableMfaDocument, { input: { password: DEMO_PASSWORD, code: '123456' } })), 'UNAUTHENTICATED');
  });
});
