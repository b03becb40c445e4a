/**
 * Permissions are strings `resource:action[:scope]` (scope `all` when absent, or `own`).
 * A domain declares its catalog with definePermissions; shield rules and services ask scopeOf.
 */
export type Scope = 'all' | 'own';

export interface PermissionDefinition {
  /** `resource:action` */
  key: string;
  description: string;
  /** Whether an `own` variant exists (record tied to the caller). */
  ownable?: boolean;
}

const catalog = new Map<string, PermissionDefinition>();

export function definePermissions(defs: PermissionDefinition[]): void {
  for (const def of defs) {
    if (!/^[a-z_]+:[a-z_]+$/.test(def.key)) throw new Error(`Bad permission key ${def.key}`);
    catalog.set(def.key, def);
  }
}

export const permissionCatalog = (): PermissionDefinition[] => [...catalog.values()].sort((a, b) => a.key.localeCompare(b.key));

/** Whether `grant` (as stored on a role) names a permission of the catalog. */
export function isKnownGrant(grant: string): boolean {
  const [resource, action, scope, ...rest] = grant.split(':');
  const def = catalog.get(`${resource}:${action}`);
  if (!def || rest.length) return false;
  return scope === undefined || scope === 'all' || (scope === 'own' && Boolean(def.ownable));
}

/** The widest scope in which `permission` (`resource:action`) is granted, or null. */
export function scopeOf(grants: ReadonlySet<string>, permission: string): Scope | null {
  if (grants.has(permission) || grants.has(`${permission}:all`)) return 'all';
  if (grants.has(`${permission}:own`)) return 'own';
  return null;
}

/**
 * Whether a holder of `held` may hand `grant` to others (in a role or by assigning a role):
 * `x:y:own` is covered by `x:y` or `x:y:own`, `x:y` only by `x:y`. Nobody grants more than they hold.
 */
export function coversGrant(held: ReadonlySet<string>, grant: string): boolean {
  const [resource, action, scope] = grant.split(':');
  const widest = scopeOf(held, `${resource}:${action}`);
  return widest === 'all' || (widest === 'own' && scope === 'own');
}
