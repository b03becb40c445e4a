/**
 * Shield rules shared by every domain. Each rule is named after what it checks, so the
 * snapshot of root field -> rule reads as the permission map of the API.
 */
import { allow, and, rule } from 'graphql-shield';
import type { RequestContext } from '../core/context/request-context';
import { scopeOf } from '../core/access/permissions';
import { DomainError, unauthenticated } from '../core/errors';
import { recordSecurityEvent } from '../services/audit';

export type ShieldRule = Parameters<typeof and>[0];
export type RuleMap = Record<string, Record<string, ShieldRule>>;

/** Open to anyone (sign-in flows). */
export const isPublic = allow;

async function denied(ctx: RequestContext, what: string, field: string): Promise<DomainError> {
  await recordSecurityEvent(ctx, {
    action: 'authorization.denied',
    resourceType: 'Field',
    resourceId: field,
    changes: { required: what },
  }).catch(() => undefined);
  return new DomainError('FORBIDDEN', 'You do not have permission to do this');
}

export const isAuthenticated = rule('isAuthenticated', { cache: 'contextual' })(
  async (_parent, _args, ctx: RequestContext) => (ctx.viewer ? true : unauthenticated()),
);

export const isPlatformOperator = rule('isPlatformOperator', { cache: 'contextual' })(
  async (_parent, _args, ctx: RequestContext, info) => {
    if (!ctx.viewer) return unauthenticated();
    return ctx.viewer.isPlatformOperator ? true : denied(ctx, 'platform operator', `${info.parentType.name}.${info.fieldName}`);
  },
);

const permissionRules = new Map<string, ShieldRule>();

/** Granted `permission` (`resource:action`) in any scope; services narrow `own` scope in the data layer. */
export function can(permission: string): ShieldRule {
  let r = permissionRules.get(permission);
  if (!r) {
    r = rule(`can(${permission})`, { cache: 'contextual' })(async (_parent, _args, ctx: RequestContext, info) => {
      if (!ctx.viewer) return unauthenticated();
      if (!ctx.viewer.organizationId) return denied(ctx, permission, `${info.parentType.name}.${info.fieldName}`);
      return scopeOf(ctx.viewer.permissions, permission) ? true : denied(ctx, permission, `${info.parentType.name}.${info.fieldName}`);
    });
    permissionRules.set(permission, r);
  }
  return r;
}
