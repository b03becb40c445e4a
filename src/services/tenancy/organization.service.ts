/** Organizations (tenants): creation with system roles and an owner, lookups. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { conflict } from '../../core/errors';
import { Organization, OrganizationStatus } from '../../entities/tenancy/organization.entity';
import { Membership } from '../../entities/tenancy/membership.entity';
import { RoleAssignment } from '../../entities/access/role.entity';
import { createSystemRoles } from '../access';
import { recordAudit } from '../audit';

export interface NewOrganization {
  name: string;
  slug: string;
  domain?: string | null;
  status?: OrganizationStatus;
  contactEmail?: string | null;
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
