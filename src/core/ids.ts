/** Ids are UUIDs (v7). Malformed ids are refused before they reach PostgreSQL, which would answer with an internal error. */
import { badInput } from './errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** The id, or BAD_USER_INPUT naming the field. */
export function assertId(field: string, value: string): string {
  if (!isUuid(value)) throw badInput(field, `${field} is not a valid id`);
  return value;
}
