/**
 * Quotations: numbered per organization (1, 2, 3... under an advisory lock, backed by a unique
 * index), items with totals and tax computed in decimal, and the status machine
 * draft → sent → accepted | rejected | expired; any other transition is CONFLICT.
 * `own` scope (sales): quotations they created or that are assigned to them.
 */
import Decimal from 'decimal.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../../core/context/request-context';
import { badInput, conflict } from '../../core/errors';
import { Customer, Employee } from '../../entities/crm/people.entity';
import { Deal, Quotation, QuotationItem, QuotationStatus } from '../../entities/crm/sales.entity';
import { recordAudit } from '../audit';
import { access, applyPatch, created, listRecords, loadForWrite, money, normalize, readRecord, requireRef, text, today, type FieldKind, type ListInput, type Row } from './common';

type Input = Record<string, unknown>;

const QUOTATION_FIELDS: Record<string, FieldKind> = {
  title: 'name', customerId: 'ref', dealId: 'ref', assignedEmployeeId: 'ref', currency: 'currency', validUntil: 'optValue', notes: 'text',
};

export const QUOTATION_LIST = { entity: Quotation, searchColumns: ['title', 'notes'] };

export interface ItemInput {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate?: string | null;
}

/** Allowed transitions: from → to. */
const TRANSITIONS: Record<QuotationStatus, QuotationStatus[]> = {
  [QuotationStatus.DRAFT]: [QuotationStatus.SENT],
  [QuotationStatus.SENT]: [QuotationStatus.ACCEPTED, QuotationStatus.REJECTED, QuotationStatus.EXPIRED],
  [QuotationStatus.ACCEPTED]: [],
  [QuotationStatus.REJECTED]: [],
  [QuotationStatus.EXPIRED]: [],
};

export const getQuotation = (ctx: RequestContext, id: string) => {
  access(ctx, 'quotation:read');
  return readRecord<Row>(ctx, Quotation, 'Quotation', id, 'quotation:read');
};
export const listQuotations = (ctx: RequestContext, input: ListInput) => listRecords(ctx, QUOTATION_LIST, input, access(ctx, 'quotation:read'));

export async function quotationItems(ctx: RequestContext, quotationId: string): Promise<Row[]> {
  const items = await ctx.loaders.manyBy<Row>(QuotationItem, 'quotationId', quotationId);
  return [...items].sort((a, b) => (a.position as number) - (b.position as number));
}

interface PricedItem {
  description: string;
  quantity: string;
  unitPrice: string;
  taxRate: string;
  subtotal: string;
  tax: string;
  total: string;
}

/** Line totals rounded to cents (half up), the quotation's totals as their sums. */
function priceItems(items: ItemInput[]): { items: PricedItem[]; subtotal: string; taxTotal: string; total: string } {
  if (items.length > 200) throw badInput('items', 'At most 200 items');
  let subtotal = new Decimal(0);
  let taxTotal = new Decimal(0);
  const priced = items.map((item, i) => {
    const description = text(`items.${i}.description`, item.description, { required: true, max: 1000 })!;
    let quantity: Decimal;
    try {
      quantity = new Decimal(item.quantity);
    } catch {
      throw badInput(`items.${i}.quantity`, 'quantity must be a number');
    }
    if (quantity.lte(0) || quantity.decimalPlaces() > 4 || quantity.gt('99999999999999')) throw badInput(`items.${i}.quantity`, 'quantity must be positive, with at most four decimals');
    const unitPrice = money(`items.${i}.unitPrice`, item.unitPrice, { allowZero: true });
    const rate = new Decimal(item.taxRate ?? '0');
    if (rate.isNeg() || rate.gt(100) || rate.decimalPlaces() > 2) throw badInput(`items.${i}.taxRate`, 'taxRate must be a percentage between 0 and 100');
    const lineSubtotal = quantity.mul(unitPrice).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    const lineTax = lineSubtotal.mul(rate).div(100).toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
    subtotal = subtotal.plus(lineSubtotal);
    taxTotal = taxTotal.plus(lineTax);
    return {
      description,
      quantity: quantity.toFixed(),
      unitPrice,
      taxRate: rate.toFixed(2),
      subtotal: lineSubtotal.toFixed(2),
      tax: lineTax.toFixed(2),
      total: lineSubtotal.plus(lineTax).toFixed(2),
    };
  });
  return { items: priced, subtotal: subtotal.toFixed(2), taxTotal: taxTotal.toFixed(2), total: subtotal.plus(taxTotal).toFixed(2) };
}

async function replaceItems(em: EntityManager, quotation: Quotation, items: ItemInput[]): Promise<Record<string, unknown>> {
  const priced = priceItems(items);
  await em.nativeDelete(QuotationItem, { quotationId: quotation.id });
  priced.items.forEach((item, i) => em.create(QuotationItem, { ...item, quotationId: quotation.id, position: i + 1 } as QuotationItem));
  return applyPatch(quotation, { subtotal: priced.subtotal, taxTotal: priced.taxTotal, total: priced.total });
}

async function checkRefs(em: EntityManager, patch: Partial<Quotation>): Promise<void> {
  await requireRef(em, Customer, 'Customer', 'customerId', patch.customerId, { softDelete: true });
  await requireRef(em, Deal, 'Deal', 'dealId', patch.dealId, { softDelete: true });
  await requireRef(em, Employee, 'Employee', 'assignedEmployeeId', patch.assignedEmployeeId);
}

export async function createQuotation(ctx: RequestContext, input: Input & { items?: ItemInput[] | null }): Promise<Quotation> {
  const a = access(ctx, 'quotation:write');
  const data = normalize<Quotation>(input, QUOTATION_FIELDS, true);
  if (data.validUntil && (data.validUntil as string) < today()) throw badInput('validUntil', 'validUntil must not be in the past');
  return ctx.db.transactional(async (em) => {
    await checkRefs(em, data);
    // One number at a time per organization: the lock is held until the request commits.
    await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`crm:quotation-number:${a.organizationId}`]);
    const [{ next }] = await em.execute<{ next: number }[]>('select coalesce(max(number), 0) + 1 as next from crm_quotation where organization_id = ?', [a.organizationId]);
    const quotation = em.create(Quotation, { ...data, number: Number(next), status: QuotationStatus.DRAFT, createdBy: a.userId } as Quotation);
    await em.flush();
    const totals = await replaceItems(em, quotation, input.items ?? []);
    await em.flush();
    await recordAudit(ctx, em, {
      action: 'crm.quotation.create',
      resourceType: 'Quotation',
      resourceId: quotation.id,
      changes: { ...created(quotation, [...Object.keys(data), 'number']), ...totals, items: (input.items ?? []).length },
    });
    return quotation;
  });
}

/** Changes a draft (fields, and its items when given: they replace the old ones). */
export async function updateQuotation(ctx: RequestContext, id: string, input: Input & { items?: ItemInput[] | null }): Promise<Quotation> {
  const a = access(ctx, 'quotation:write');
  const patch = normalize<Quotation>(input, QUOTATION_FIELDS, false);
  return ctx.db.transactional(async (em) => {
    const quotation = await loadForWrite(em, Quotation, 'Quotation', id, a);
    if (quotation.status !== QuotationStatus.DRAFT) throw conflict(`A ${quotation.status} quotation cannot be changed`, 'id');
    await checkRefs(em, patch);
    const diff: Record<string, unknown> = applyPatch(quotation, patch);
    if (input.items) Object.assign(diff, await replaceItems(em, quotation, input.items), { items: input.items.length });
    await em.flush();
    if (Object.keys(diff).length) await recordAudit(ctx, em, { action: 'crm.quotation.update', resourceType: 'Quotation', resourceId: id, changes: diff });
    return quotation;
  });
}

/** sendQuotation, acceptQuotation, rejectQuotation, expireQuotation. */
export async function transitionQuotation(ctx: RequestContext, id: string, to: QuotationStatus): Promise<Quotation> {
  const a = access(ctx, 'quotation:write');
  return ctx.db.transactional(async (em) => {
    const quotation = await loadForWrite(em, Quotation, 'Quotation', id, a);
    if (!TRANSITIONS[quotation.status].includes(to)) throw conflict(`A ${quotation.status} quotation cannot become ${to}`, 'id');
    if (to === QuotationStatus.SENT) {
      if (!(await em.count(QuotationItem, { quotationId: id }))) throw conflict('A quotation needs at least one item to be sent', 'id');
      if (quotation.validUntil && quotation.validUntil < today()) throw conflict('The quotation’s validity has ended; change validUntil first', 'validUntil');
    }
    if (to === QuotationStatus.ACCEPTED && quotation.validUntil && quotation.validUntil < today()) {
      throw conflict('The quotation expired on its validUntil date and can no longer be accepted', 'id');
    }
    const now = new Date();
    const diff = applyPatch(quotation, to === QuotationStatus.SENT ? { status: to, sentAt: now } : { status: to, decidedAt: now });
    await em.flush();
    await recordAudit(ctx, em, { action: `crm.quotation.${to === QuotationStatus.SENT ? 'send' : to === QuotationStatus.ACCEPTED ? 'accept' : to === QuotationStatus.REJECTED ? 'reject' : 'expire'}`, resourceType: 'Quotation', resourceId: id, changes: diff });
    return quotation;
  });
}

export async function deleteQuotation(ctx: RequestContext, id: string): Promise<boolean> {
  const a = access(ctx, 'quotation:delete');
  return ctx.db.transactional(async (em) => {
    const quotation = await loadForWrite(em, Quotation, 'Quotation', id, a);
    if (quotation.status !== QuotationStatus.DRAFT) throw conflict('Only a draft quotation can be deleted', 'id');
    await em.remove(quotation).flush();
    await recordAudit(ctx, em, { action: 'crm.quotation.delete', resourceType: 'Quotation', resourceId: id, changes: { number: quotation.number, title: quotation.title } });
    return true;
  });
}
