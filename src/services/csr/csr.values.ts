/** Input checks shared by the CSR services: money, KPI values, calendar dates, text. */
import Decimal from 'decimal.js';
import { badInput } from '../../core/errors';

const MAX_MONEY = new Decimal('9999999999999999.99');

/** A positive amount with at most two decimals, as a canonical string. */
export function positiveMoney(field: string, value: string): string {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw badInput(field, `${field} must be a decimal amount`);
  }
  if (!d.isFinite() || d.lte(0)) throw badInput(field, `${field} must be greater than zero`);
  if (d.decimalPlaces() > 2) throw badInput(field, `${field} has at most two decimals`);
  if (d.gt(MAX_MONEY)) throw badInput(field, `${field} is too large`);
  return d.toFixed(2);
}

/** A measured value (KPIs): any sign, at most four decimals. */
export function measure(field: string, value: string): string {
  let d: Decimal;
  try {
    d = new Decimal(value);
  } catch {
    throw badInput(field, `${field} must be a decimal number`);
  }
  if (!d.isFinite()) throw badInput(field, `${field} must be a decimal number`);
  if (d.decimalPlaces() > 4) throw badInput(field, `${field} has at most four decimals`);
  if (d.abs().gte('1e14')) throw badInput(field, `${field} is too large`);
  return d.toFixed(4);
}

/** Trimmed non-empty text of at most `max` characters. */
export function requiredText(field: string, value: string, max = 255): string {
  const text = value.trim();
  if (!text) throw badInput(field, `${field} must not be empty`);
  if (text.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
  return text;
}

/** Optional text: null/undefined stays as given, blank becomes null. */
export function optionalText(field: string, value: string | null | undefined, max = 10_000): string | null | undefined {
  if (value === undefined || value === null) return value;
  const text = value.trim();
  if (text.length > max) throw badInput(field, `${field} must be at most ${max} characters`);
  return text || null;
}

/** `end` on or after `start` (calendar dates as YYYY-MM-DD compare as strings). */
export function datesInOrder(start: string | null | undefined, end: string | null | undefined, endField = 'endDate'): void {
  if (start && end && end < start) throw badInput(endField, `${endField} must not be before the start date`);
}

export function percentage(field: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 100) throw badInput(field, `${field} must be a whole number from 0 to 100`);
  return value;
}

/** Keys whose values differ, as `{ key: { from, to } }` for the audit trail. */
export function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    if (after[key] === undefined) continue;
    if (JSON.stringify(before[key] ?? null) !== JSON.stringify(after[key] ?? null)) changes[key] = { from: before[key] ?? null, to: after[key] ?? null };
  }
  return changes;
}
