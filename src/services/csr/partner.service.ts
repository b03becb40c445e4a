/** Partner organizations and the link of a user to the partner they act for. */
import type { RequestContext } from '../../core/context/request-context';
import { requireTenant } from '../../core/context/request-context';
import { badInput, conflict, notFound } from '../../core/errors';
import { assertId } from '../../core/ids';
import { buildConnection, type ListArgs } from '../../core/orm/connection';
import { Partner, PartnerMember, PartnerType } from '../../entities/csr/partner.entity';
import { Membership } from '../../entities/tenancy/membership.entity';
import { recordAudit } from '../audit';
import { diff, optionalText, requiredText } from './csr.values';
import type { Loaded } from '../../core/orm/loaders';

export interface PartnerInput {
  name?: string | null;
  type?: PartnerType | null;
  contactName?: string | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
  address?: string | null;
  mouSigned?: boolean | null;
  mouDate?: string | null;
  active?: boolean | null;
}

function partnerValues(input: PartnerInput): Partial<Partner> {
  const values: Partial<Partner> = {};
  if (input.name != null) values.name = requiredText('name', input.name);
  if (input.type != null) values.type = input.type;
  for (const key of ['contactName', 'contactEmail', 'contactPhone', 'address'] as const) {
    if (input[key] !== undefined) values[key] = optionalText(key, input[key], 1000);
  }
  if (values.contactEmail && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.contactEmail)) throw badInput('contactEmail', 'contactEmail is not an email address');
  if (input.mouSigned != null) values.mouSigned = input.mouSigned;
  if (input.mouDate !== undefined) values.mouDate = input.mouDate;
  if (input.active != null) values.active = input.active;
  return values;
}

const snapshot = (p: Partner) => ({
  name: p.name, type: p.type, contactName: p.contactName, contactEmail: p.contactEmail, contactPhone: p.contactPhone,
  address: p.address, mouSigned: p.mouSigned, mouDate: p.mouDate, active: p.active,
});

export async function createPartner(ctx: RequestContext, input: PartnerInput & { name: string; type: PartnerType }): Promise<Partner> {
  requireTenant(ctx);
  const values = partnerValues(input);
  if (values.mouDate && values.mouSigned === false) throw badInput('mouDate', 'mouDate is only set once the MOU is signed');
  return ctx.db.transactional(async (em) => {
    const partner = em.create(Partner, { mouSigned: false, active: true, ...values } as Partner);
    await em.flush();
    await recordAudit(ctx, em, { action: 'csr.partner.create', resourceType: 'Partner', resourceId: partner.id, changes: diff({}, snapshot(partner)) });
    return partner;
  });
}

export async function updatePartner(ctx: RequestContext, id: string, input: PartnerInput): Promise<Partner> {
  requireTenant(ctx);
  assertId('id', id);
  const values = partnerValues(input);
  return ctx.db.transactional(async (em) => {
    const partner = await em.findOne(Partner, { id });
    if (!partner) throw notFound('Partner', 'id');
    const before = snapshot(partner);
    em.assign(partner, values);
    if (partner.mouDate && !partner.mouSigned) throw badInput('mouDate', 'mouDate is only set once the MOU is signed');
    await em.flush();
    const changes = diff(before, snapshot(partner));
    if (Object.keys(changes).length) await recordAudit(ctx, em, { action: 'csr.partner.update', resourceType: 'Partner', resourceId: id, changes });
    return partner;
  });
}

export async function getPartner(ctx: RequestContext, id: string): Promise<Partner> {
  requireTenant(ctx);
  const partner = await ctx.loaders.byId<Partner>(Partner, assertId('id', id));
  if (!partner) throw notFound('Partner', 'id');
  return partner;
}

/** The partner row of a project (for field resolvers: batched, no scope beyond the project's own). */
/** `select`: the fields the caller will read (the loader then reads only those columns). */
export function partnerById(ctx: RequestContext, id: string | null | undefined, select?: Iterable<string>): Loaded<Partner | null> {
  return id ? ctx.loaders.byId<Partner>(Partner, id, select) : null;
}

export function listPartners(ctx: RequestContext, args: ListArgs & { search?: string | null }) {
  requireTenant(ctx);
  return buildConnection<Partner>(ctx.db, Partner, {
    filter: args.filter,
    orderBy: args.orderBy ?? [{ field: 'name', direction: 'ASC' }],
    first: args.first,
    after: args.after,
    select: args.select,
    where: args.search?.trim()
      ? (qb) => {
          const term = `%${args.search!.trim().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
          qb.where((b) => b.whereILike('name', term).orWhereILike('contact_name', term).orWhereILike('contact_email', term));
        }
      : undefined,
  });
}

/**
 * Links a member of the organization to a partner (replacing an earlier link): with `own`
 * grants they then see that partner's projects only. The user must be a member here.
 */
export async function linkPartnerMember(ctx: RequestContext, partnerId: string, userId: string): Promise<PartnerMember> {
  requireTenant(ctx);
  assertId('partnerId', partnerId);
  assertId('userId', userId);
  return ctx.db.transactional(async (em) => {
    const partner = await em.findOne(Partner, { id: partnerId });
    if (!partner) throw notFound('Partner', 'partnerId');
    if (!(await em.findOne(Membership, { userId }))) throw notFound('Member', 'userId');
    const existing = await em.findOne(PartnerMember, { userId });
    if (existing?.partnerId === partnerId) return existing;
    const previous = existing?.partnerId ?? null;
    if (existing) existing.partnerId = partnerId;
    const link = existing ?? em.create(PartnerMember, { partnerId, userId } as PartnerMember);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'csr.partner.member_linked',
      resourceType: 'PartnerMember',
      resourceId: link.id,
      changes: { userId, partnerId: { from: previous, to: partnerId } },
    });
    return link;
  });
}

/** Removes a user's partner link; they then see no partner's projects with `own` grants. */
export async function unlinkPartnerMember(ctx: RequestContext, userId: string): Promise<boolean> {
  requireTenant(ctx);
  assertId('userId', userId);
  return ctx.db.transactional(async (em) => {
    const link = await em.findOne(PartnerMember, { userId });
    if (!link) throw notFound('PartnerMember', 'userId');
    await em.remove(link).flush();
    await recordAudit(ctx, em, { action: 'csr.partner.member_unlinked', resourceType: 'PartnerMember', resourceId: link.id, changes: { userId, partnerId: link.partnerId } });
    return true;
  });
}

export function listPartnerMembers(ctx: RequestContext, partnerId: string): Loaded<PartnerMember[]> {
  requireTenant(ctx);
  return ctx.loaders.manyBy<PartnerMember>(PartnerMember, 'partnerId', assertId('partnerId', partnerId));
}

export async function assertRecipientPartner(em: import('@mikro-orm/postgresql').EntityManager, partnerId: string, field = 'partnerId'): Promise<Partner> {
  const partner = await em.findOne(Partner, { id: assertId(field, partnerId) });
  if (!partner) throw notFound('Partner', field);
  if (!partner.active) throw conflict('The partner is inactive', field);
  return partner;
}
