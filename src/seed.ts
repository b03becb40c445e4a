/**
 * Demo data for a first start (and the tests' template database): two organizations, a user for
 * every system role in each, and a platform operator. Idempotent: does nothing once seeded.
 */
import { hashPassword } from './core/auth/passwords';
import { createAnonymousContext, type AppDeps } from './core/context/request-context';
import { User } from './entities/identity/user.entity';
import { Organization } from './entities/tenancy/organization.entity';
import { Membership } from './entities/tenancy/membership.entity';
import { Role, RoleAssignment } from './entities/access/role.entity';
import { ROLE_TEMPLATES } from './services/access';
import { createOrganization } from './services/tenancy';
import { seedCsrDemo } from './services/csr';
import { seedCrmDemo } from './services/crm';

export const DEMO_PASSWORD = 'Tessera!2026';
export const DEMO_ORGANIZATIONS = [
  { slug: 'acme', name: 'Acme Corporation' },
  { slug: 'globex', name: 'Globex Foundation' },
] as const;
export const PLATFORM_OPERATOR_EMAIL = 'operator@tessera.test';
export const demoEmail = (roleKey: string, orgSlug: string) => `${roleKey.replace(/_/g, '.')}@${orgSlug}.test`;

export interface SeedResult {
  created: boolean;
  accounts: { email: string; organization: string | null; role: string }[];
}

export async function seedDemo(app: AppDeps): Promise<SeedResult> {
  const accounts: SeedResult['accounts'] = [{ email: PLATFORM_OPERATOR_EMAIL, organization: null, role: 'platform operator' }];
  for (const org of DEMO_ORGANIZATIONS) {
    for (const t of ROLE_TEMPLATES) accounts.push({ email: demoEmail(t.key, org.slug), organization: org.slug, role: t.key });
  }
  const ctx = createAnonymousContext(app, { requestId: 'seed' });
  try {
    const exists = await ctx.db.transactional((em) => em.count(Organization, { slug: DEMO_ORGANIZATIONS[0].slug }));
    if (exists) return { created: false, accounts };
    const passwordHash = await hashPassword(DEMO_PASSWORD);
    await ctx.db.transactional(async (em) => {
      em.create(User, { email: PLATFORM_OPERATOR_EMAIL, passwordHash, firstName: 'Platform', lastName: 'Operator', isPlatformOperator: true, emailVerifiedAt: new Date() } as User);
      for (const o of DEMO_ORGANIZATIONS) {
        const owner = em.create(User, { email: demoEmail('owner', o.slug), passwordHash, firstName: 'Owner', lastName: o.name, emailVerifiedAt: new Date(), } as User);
        await em.flush();
        const org = await createOrganization(ctx, em, { name: o.name, slug: o.slug }, owner.id);
        owner.lastOrganizationId = org.id;
        await ctx.db.asTenant(em, org.id, null, async (tem) => {
          const roles = await tem.find(Role, {});
          const userIds: Record<string, string> = {};
          for (const t of ROLE_TEMPLATES.filter((r) => r.key !== 'owner')) {
            const user = tem.create(User, {
              email: demoEmail(t.key, o.slug),
              passwordHash,
              firstName: t.name,
              lastName: o.name,
              emailVerifiedAt: new Date(),
              lastOrganizationId: org.id,
            } as User);
            userIds[t.key] = user.id;
            const membership = tem.create(Membership, { userId: user.id } as Membership);
            tem.create(RoleAssignment, { membershipId: membership.id, roleId: roles.find((r) => r.key === t.key)!.id } as RoleAssignment);
          }
          await seedCsrDemo(tem, { managerId: userIds.csr_manager, financeId: userIds.finance_officer, meId: userIds.me_officer, recipientId: userIds.recipient });
          await tem.flush();
          await seedCrmDemo(ctx, tem, userIds.sales);
        });
      }
    });
    return { created: true, accounts };
  } finally {
    await ctx.db.finish(true);
  }
}
