import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, errorCode, DEMO_PASSWORD, type TestApi } from '../support/api';
import {
  ActivateOrganizationDocument,
  CreateOrganizationDocument,
  CurrentOrganizationDocument,
  LoginDocument,
  MeDocument,
  OrganizationsDocument,
  SuspendOrganizationDocument,
  UpdateOrganizationDocument,
  UpdateOrganizationSettingsDocument,
} from '../__generated__/graphql';

let api: TestApi;
let operator: string;
before(async () => {
  api = await startTestApi();
  const res = await api.gql(LoginDocument, { input: { email: 'operator@tessera.test', password: DEMO_PASSWORD } });
  assert.equal(res.errors, undefined);
  operator = res.data!.login.accessToken;
});
after(() => api.close());

const login = (email: string, organizationSlug?: string) =>
  api.gql(LoginDocument, { input: { email, password: DEMO_PASSWORD, organizationSlug } });

async function orgId(slug: string): Promise<string> {
  const res = await api.gql(OrganizationsDocument, { filter: { slug: { eq: slug } } }, operator);
  return res.data!.organizations.edges[0].node.id;
}

describe('organization (the caller’s own)', () => {
  test('a member reads their organization; quotas and defaults are there', async () => {
    const res = await api.gql(CurrentOrganizationDocument, {}, await api.login('member', 'acme'));
    assert.equal(res.errors, undefined);
    assert.equal(res.data!.organization.slug, 'acme');
    assert.ok(res.data!.organization.quotas.maxUsers > 0);
    const globex = await api.gql(CurrentOrganizationDocument, {}, await api.login('member', 'globex'));
    assert.equal(globex.data!.organization.slug, 'globex');
  });

  test('anonymous callers and the operator (no organization) are refused', async () => {
    assert.equal(errorCode(await api.gql(CurrentOrganizationDocument, {})), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(CurrentOrganizationDocument, {}, operator)), 'FORBIDDEN');
  });
});

describe('organizations (platform operator)', () => {
  test('lists, filters by status, searches by name or slug, pages', async () => {
    const all = await api.gql(OrganizationsDocument, {}, operator);
    assert.equal(all.errors, undefined);
    assert.deepEqual(all.data!.organizations.edges.map((e) => e.node.slug).sort(), ['acme', 'globex']);
    assert.equal(all.data!.organizations.totalCount, 2);

    const search = await api.gql(OrganizationsDocument, { search: 'GLOB' }, operator);
    assert.deepEqual(search.data!.organizations.edges.map((e) => e.node.slug), ['globex']);

    const suspended = await api.gql(OrganizationsDocument, { filter: { status: { eq: 'SUSPENDED' } } }, operator);
    assert.equal(suspended.data!.organizations.totalCount, 0);

    const page1 = await api.gql(OrganizationsDocument, { first: 1, orderBy: [{ field: 'SLUG', direction: 'DESC' }] }, operator);
    assert.equal(page1.data!.organizations.edges[0].node.slug, 'globex');
    assert.equal(page1.data!.organizations.pageInfo.hasNextPage, true);
    const page2 = await api.gql(
      OrganizationsDocument,
      { first: 1, orderBy: [{ field: 'SLUG', direction: 'DESC' }], after: page1.data!.organizations.pageInfo.endCursor },
      operator,
    );
    assert.equal(page2.data!.organizations.edges[0].node.slug, 'acme');
  });

  test('organization admins and owners are refused every operator field', async () => {
    const owner = await api.login('owner', 'acme');
    assert.equal(errorCode(await api.gql(OrganizationsDocument, {}, owner)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(CreateOrganizationDocument, { input: { name: 'X', slug: 'x-corp' } }, owner)), 'FORBIDDEN');
    const id = await orgId('acme');
    assert.equal(errorCode(await api.gql(SuspendOrganizationDocument, { id }, owner)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(UpdateOrganizationDocument, { id, input: { name: 'Mine' } }, owner)), 'FORBIDDEN');
    assert.equal(errorCode(await api.gql(OrganizationsDocument, {})), 'UNAUTHENTICATED');
  });

  test('creates an organization without an owner, with system roles', async () => {
    const res = await api.gql(CreateOrganizationDocument, { input: { name: 'Umbrella', slug: 'umbrella', status: 'TRIAL', subscriptionTier: 'pro' } }, operator);
    assert.equal(res.errors, undefined);
    assert.equal(res.data!.createOrganization.status, 'TRIAL');
    assert.equal(res.data!.createOrganization.subscriptionTier, 'pro');
    const dup = await api.gql(CreateOrganizationDocument, { input: { name: 'Umbrella 2', slug: 'umbrella' } }, operator);
    assert.equal(errorCode(dup), 'CONFLICT');
  });

  test('refuses bad input and an unknown owner', async () => {
    const badSlug = await api.gql(CreateOrganizationDocument, { input: { name: 'Bad', slug: 'Not A Slug' } }, operator);
    assert.equal(errorCode(badSlug), 'BAD_USER_INPUT');
    assert.equal(badSlug.errors![0].extensions!.field, 'slug');
    const noOwner = await api.gql(CreateOrganizationDocument, { input: { name: 'Ghost', slug: 'ghost', ownerEmail: 'nobody@nowhere.test' } }, operator);
    assert.equal(errorCode(noOwner), 'NOT_FOUND');
    assert.equal(noOwner.errors![0].extensions!.field, 'ownerEmail');
    const suspendedAtBirth = await api.gql(CreateOrganizationDocument, { input: { name: 'S', slug: 'sss', status: 'SUSPENDED' } }, operator);
    assert.equal(errorCode(suspendedAtBirth), 'BAD_USER_INPUT');
  });

  test('updates profile, quotas, branding, contact and address with validation', async () => {
    const id = await orgId('globex');
    const res = await api.gql(
      UpdateOrganizationDocument,
      {
        id,
        input: {
          name: 'Globex Corporation',
          domain: 'globex.example',
          subscriptionTier: 'enterprise',
          quotas: { maxUsers: 500, modules: ['crm', 'billing'] },
          settings: { locale: 'en-GB' },
          branding: { primaryColor: '#112233', logoUrl: 'https://cdn.example/logo.png' },
          contactEmail: 'Ops@Globex.example',
          contactPhone: '+44 20 7946 0000',
          address: { line1: '1 Main St', city: 'Cypress Creek', country: 'US' },
        },
      },
      operator,
    );
    assert.equal(res.errors, undefined);
    const org = res.data!.updateOrganization;
    assert.equal(org.name, 'Globex Corporation');
    assert.equal(org.quotas.maxUsers, 500);
    assert.equal(org.quotas.maxFileSizeMb, 25, 'untouched quotas are kept');
    assert.deepEqual(org.quotas.modules, ['crm', 'billing']);
    assert.equal(org.branding.primaryColor, '#112233');
    assert.equal(org.contactEmail, 'ops@globex.example');
    assert.equal(org.address!.country, 'US');
    assert.deepEqual(org.settings, { locale: 'en-GB' });

    const cases: [Record<string, unknown>, string][] = [
      [{ quotas: { maxUsers: 0 } }, 'quotas.maxUsers'],
      [{ quotas: { modules: ['crm', 'teleport'] } }, 'quotas.modules'],
      [{ branding: { primaryColor: 'red' } }, 'branding.primaryColor'],
      [{ domain: 'not a domain' }, 'domain'],
      [{ contactEmail: 'nope' }, 'contactEmail'],
      [{ address: { country: 'USA' } }, 'address.country'],
      [{ name: '' }, 'name'],
    ];
    for (const [input, field] of cases) {
      const bad = await api.gql(UpdateOrganizationDocument, { id, input }, operator);
      assert.equal(errorCode(bad), 'BAD_USER_INPUT', JSON.stringify(input));
      assert.equal(bad.errors![0].extensions!.field, field);
    }
    assert.equal(errorCode(await api.gql(UpdateOrganizationDocument, { id: '00000000-0000-7000-8000-000000000000', input: { name: 'X' } }, operator)), 'NOT_FOUND');
    assert.equal(errorCode(await api.gql(UpdateOrganizationDocument, { id: 'nope', input: { name: 'X' } }, operator)), 'BAD_USER_INPUT');
  });

  test('suspension: members cannot sign in and their tokens stop working; activation restores both', async () => {
    const created = await api.gql(CreateOrganizationDocument, { input: { name: 'Initech', slug: 'initech', ownerEmail: 'sales@globex.test' } }, operator);
    assert.equal(created.errors, undefined);
    const id = created.data!.createOrganization.id;
    const signedIn = await login('sales@globex.test', 'initech');
    assert.equal(signedIn.errors, undefined);
    const token = signedIn.data!.login.accessToken;
    assert.equal((await api.gql(CurrentOrganizationDocument, {}, token)).data!.organization.slug, 'initech');

    const suspended = await api.gql(SuspendOrganizationDocument, { id }, operator);
    assert.equal(suspended.data!.suspendOrganization.status, 'SUSPENDED');
    assert.equal(errorCode(await api.gql(SuspendOrganizationDocument, { id }, operator)), 'CONFLICT');
    assert.equal(errorCode(await login('sales@globex.test', 'initech')), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(MeDocument, {}, token)), 'UNAUTHENTICATED');
    assert.equal(errorCode(await api.gql(CurrentOrganizationDocument, {}, token)), 'UNAUTHENTICATED');
    // Their other organization is unaffected.
    assert.equal((await login('sales@globex.test', 'globex')).errors, undefined);

    const filtered = await api.gql(OrganizationsDocument, { filter: { status: { eq: 'SUSPENDED' } } }, operator);
    assert.deepEqual(filtered.data!.organizations.edges.map((e) => e.node.slug), ['initech']);

    assert.equal((await api.gql(ActivateOrganizationDocument, { id }, operator)).data!.activateOrganization.status, 'ACTIVE');
    const again = await login('sales@globex.test', 'initech');
    assert.equal(again.errors, undefined);
    assert.equal((await api.gql(MeDocument, {}, again.data!.login.accessToken)).errors, undefined);
  });
});

describe('updateOrganizationSettings (organization admins)', () => {
  test('an admin changes settings, branding and contact of their own organization only', async () => {
    const admin = await api.login('admin', 'acme');
    const res = await api.gql(
      UpdateOrganizationSettingsDocument,
      { input: { settings: { timezone: 'Africa/Lagos' }, branding: { secondaryColor: '#abcdef' }, contactPhone: '+234 1 234 5678' } },
      admin,
    );
    assert.equal(res.errors, undefined);
    assert.equal(res.data!.updateOrganizationSettings.slug, 'acme');
    assert.equal(res.data!.updateOrganizationSettings.branding.secondaryColor, '#abcdef');
    assert.deepEqual(res.data!.updateOrganizationSettings.settings, { timezone: 'Africa/Lagos' });
    const globex = await api.gql(CurrentOrganizationDocument, {}, await api.login('admin', 'globex'));
    assert.notDeepEqual(globex.data!.organization.settings, { timezone: 'Africa/Lagos' });
  });

  test('members without organization:update are refused; bad input names the field', async () => {
    const member = await api.login('member', 'acme');
    assert.equal(errorCode(await api.gql(UpdateOrganizationSettingsDocument, { input: { contactPhone: '+1 555 0100' } }, member)), 'FORBIDDEN');
    const bad = await api.gql(UpdateOrganizationSettingsDocument, { input: { branding: { logoUrl: 'javascript:alert(1)' } } }, await api.login('admin', 'acme'));
    assert.equal(errorCode(bad), 'BAD_USER_INPUT');
    assert.equal(bad.errors![0].extensions!.field, 'branding.logoUrl');
  });
});
