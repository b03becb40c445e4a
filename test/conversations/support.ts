/** Shared lookups of the conversations tests (owner connection). */
import type { TestApi } from '../support/api';

/** The id of `<role>@<org>.test` (role key with `_` → `.`). */
export async function userId(api: TestApi, role: string, org = 'acme'): Promise<string> {
  const email = `${role.replace(/_/g, '.')}@${org}.test`;
  return (await api.sql<{ id: string }>('select id from identity_user where email = $1', [email]))[0].id;
}
