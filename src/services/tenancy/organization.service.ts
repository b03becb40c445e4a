/** Organizations (tenants): creation with system roles and an owner, lookups. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant } from '../../core/context/request-context';
import { badInput, conflict, notFound } from '../../core/errors';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import {
  Organization,
  OrganizationStatus,
  type OrganizationBranding,
  type OrganizationQuotas,
  type PostalAddress,
} from '../../entities/tenancy/organization.entity';
import { Membership } from '../../entities/tenancy/membership.entity';
import { RoleAssignment } from '../../entities/access/role.entity';
import { createSystemRoles } from '../access';
import { recordAudit } from '../audit';
import { findUserByEmail } from '../identity';
import { assertId } from '../../core/ids';

export interface NewOrganization {
  name: string;
  slug: string;
  domain?: string | null;
  status?: OrganizationStatus;
  contactEmail?: string | null;
  subscriptionTier?: string | null;
}

/**
 * Creates the organization, its system roles and (optionally) its owner's membership, inside
 * the caller's transaction `em`.
 */
export async function createOrganization(
  ctx: RequestContext,
  em: EntityManager,
  input: NewOrganization,
  ownerUserId: string | null,
): Promise<Organization> {
  const slug = input.slug.toLowerCase();
  if (await em.count(Organization, { slug })) throw conflict(`The slug "${slug}" is taken`, 'organizationSlug');
  const org = em.create(Organization, {
    name: input.name,
    slug,
    domain: input.domain ?? null,
    status: input.status ?? OrganizationStatus.ACTIVE,
    contactEmail: input.contactEmail ?? null,
    ...(input.subscriptionTier ? { subscriptionTier: input.subscriptionTier } : {}),
  } as Organization);
  await em.flush();
  await ctx.db.asTenant(em, org.id, ownerUserId, async (tem) => {
    const roles = await createSystemRoles(tem);
    if (ownerUserId) {
      const membership = tem.create(Membership, { userId: ownerUserId } as Membership);
      await tem.flush();
      tem.create(RoleAssignment, { membershipId: membership.id, roleId: roles.get('owner')!.id } as RoleAssignment);
    }
    await tem.flush();
    await recordAudit(ctx, tem, {
      organizationId: org.id,
      userId: ctx.viewer?.userId ?? ownerUserId,
      action: 'organization.create',
      resourceType: 'Organization',
      resourceId: org.id,
      changes: { name: org.name, slug: org.slug, ownerUserId },
    });
  });
  return org;
}

// ---------------------------------------------------------------------------------------------
// Reading and managing organizations (the caller's own; every one for the platform operator)

export interface OrganizationPatch {
  name?: string;
  domain?: string | null;
  subscriptionTier?: string;
  quotas?: Partial<OrganizationQuotas> | null;
  settings?: Record<string, unknown> | null;
  branding?: Partial<OrganizationBranding> | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  address?: PostalAddress | null;
}

export interface ListOrganizations extends ListArgs {
  search?: string | null;
}

const MAX_SETTINGS_BYTES = 16_000;

/** The caller's current organization. */
export async function currentOrganization(ctx: RequestContext): Promise<Organization> {
  const org = await ctx.loaders.byId<Organization>(Organization, requireTenant(ctx));
  if (!org) throw notFound('Organization');
  return org;
}

/** Platform operator: every organization, filtered, searched by name or slug. */
export async function listOrganizations(ctx: RequestContext, args: ListOrganizations) {
  const search = args.search?.trim();
  return buildConnection<Organization>(ctx.db, Organization, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'createdAt', direction: 'ASC' }],
    first: args.first,
    after: args.after,
    where: search
      ? (qb) => {
          const like = `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          qb.whereILike('name', like).orWhereILike('slug', like);
        }
      : undefined,
  });
}

export interface CreateOrganizationByOperator extends NewOrganization {
  ownerEmail?: string | null;
}

/** Platform operator: a new organization with its system roles, and optionally an existing user as owner. */
export async function createOrganizationAsOperator(ctx: RequestContext, input: CreateOrganizationByOperator): Promise<Organization> {
  return ctx.db.transactional(async (em) => {
    let ownerId: string | null = null;
    if (input.ownerEmail) {
      const owner = await findUserByEmail(em, input.ownerEmail);
      if (!owner) throw notFound('User', 'ownerEmail');
      ownerId = owner.id;
    }
    return createOrganization(ctx, em, input, ownerId);
  });
}

function applyPatch(org: Organization, patch: OrganizationPatch): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  const set = <K extends keyof Organization>(key: K, value: Organization[K]) => {
    if (JSON.stringify(org[key] ?? null) === JSON.stringify(value ?? null)) return;
    changes[key as string] = { from: org[key] ?? null, to: value ?? null };
    org[key] = value;
  };
  if (patch.name !== undefined) set('name', patch.name.trim());
  if (patch.domain !== undefined) set('domain', patch.domain ? patch.domain.toLowerCase() : null);
  if (patch.subscriptionTier !== undefined) set('subscriptionTier', patch.subscriptionTier);
  if (patch.quotas) set('quotas', { ...org.quotas, ...stripUndefined(patch.quotas) } as OrganizationQuotas);
  if (patch.settings !== undefined) {
    const settings = patch.settings ?? {};
    if (JSON.stringify(settings).length > MAX_SETTINGS_BYTES) throw badInput('settings', `settings must be at most ${MAX_SETTINGS_BYTES} bytes of JSON`);
    set('settings', settings);
  }
  if (patch.branding !== undefined) set('branding', patch.branding ? { ...org.branding, ...stripUndefined(patch.branding) } : {});
  if (patch.contactEmail !== undefined) set('contactEmail', patch.contactEmail ? patch.contactEmail.toLowerCase() : null);
  if (patch.contactPhone !== undefined) set('contactPhone', patch.contactPhone ?? null);
  if (patch.address !== undefined) set('address', patch.address ? { ...stripUndefined(patch.address) } : null);
  return changes;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Loads, changes and audits one organization; the audit row goes to that organization's chain. */
async function changeOrganization(
  ctx: RequestContext,
  id: string,
  action: string,
  change: (org: Organization) => Record<string, unknown>,
): Promise<Organization> {
  assertId('id', id);
  return ctx.db.transactional(async (em) => {
    const org = await em.findOne(Organization, { id });
    if (!org) throw notFound('Organization', 'id');
    const changes = change(org);
    await em.flush();
    await ctx.db.asTenant(em, org.id, null, (tem) =>
      recordAudit(ctx, tem, { organizationId: org.id, action, resourceType: 'Organization', resourceId: org.id, changes }),
    );
    return org;
  });
}

/** Platform operator: profile, tier, quotas, settings, branding, contact and address of any organization. */
export function updateOrganization(ctx: RequestContext, id: string, patch: OrganizationPatch): Promise<Organization> {
  return changeOrganization(ctx, id, 'organization.update', (org) => applyPatch(org, patch));
}

/** Platform operator: suspends an organization; its members can no longer sign in and their tokens stop working. */
export function suspendOrganization(ctx: RequestContext, id: string): Promise<Organization> {
  return changeOrganization(ctx, id, 'organization.suspend', (org) => {
    if (org.status === OrganizationStatus.SUSPENDED) throw conflict('The organization is already suspended');
    const from = org.status;
    org.status = OrganizationStatus.SUSPENDED;
    return { status: { from, to: org.status } };
  });
}

/** Platform operator: (re)activates an organization. */
export function activateOrganization(ctx: RequestContext, id: string): Promise<Organization> {
  return changeOrganization(ctx, id, 'organization.activate', (org) => {
    if (org.status === OrganizationStatus.ACTIVE) throw conflict('The organization is already active');
    const from = org.status;
    org.status = OrganizationStatus.ACTIVE;
    return { status: { from, to: org.status } };
  });
}

/** Organization admins: settings, branding and contact details of their own organization. */
export async function updateOrganizationSettings(
  ctx: RequestContext,
  patch: Pick<OrganizationPatch, 'settings' | 'branding' | 'contactEmail' | 'contactPhone' | 'address'>,
): Promise<Organization> {
  const orgId = requireTenant(ctx);
  return ctx.db.transactional(async (em) => {
    const org = await em.findOneOrFail(Organization, { id: orgId });
    const changes = applyPatch(org, {
      settings: patch.settings,
      branding: patch.branding,
      contactEmail: patch.contactEmail,
      contactPhone: patch.contactPhone,
      address: patch.address,
    });
    await em.flush();
    await recordAudit(ctx, em, { action: 'organization.update_settings', resourceType: 'Organization', resourceId: org.id, changes });
    return org;
  });
}
