/**
 * The permission catalog of every domain (`resource:action`, optionally `:own`). Role templates
 * and custom roles may only hold grants from this catalog.
 */
import { definePermissions, type PermissionDefinition } from '../../core/access/permissions';

function crud(resource: string, label: string, opts: { ownable?: boolean; actions?: string[] } = {}): PermissionDefinition[] {
  return (opts.actions ?? ['read', 'write', 'delete']).map((action) => ({
    key: `${resource}:${action}`,
    description: `${action[0].toUpperCase()}${action.slice(1)} ${label}`,
    ownable: opts.ownable,
  }));
}

export const PLATFORM_PERMISSIONS: PermissionDefinition[] = [
  { key: 'organization:read', description: 'Read the organization profile, quotas and settings' },
  { key: 'organization:update', description: 'Update the organization profile, settings and branding' },
  { key: 'member:read', description: 'List members and their roles' },
  { key: 'member:invite', description: 'Invite people by email and revoke invitations' },
  { key: 'member:update', description: 'Change members’ roles and status' },
  { key: 'member:remove', description: 'Remove members from the organization' },
  { key: 'role:read', description: 'List roles and the permission catalog' },
  { key: 'role:write', description: 'Create, update and delete custom roles' },
  { key: 'session:revoke', description: 'List and revoke other members’ sessions' },
  { key: 'audit:read', description: 'Read and verify the audit log' },
  { key: 'job:read', description: 'See every background job of the organization (without it: the jobs one started)' },
];

export const DOMAIN_PERMISSIONS: PermissionDefinition[] = [
  ...crud('employee', 'employees'),
  { key: 'employee:read_sensitive', description: 'Read employees’ salaries' },
  ...crud('vendor', 'vendors'),
  ...crud('customer', 'customers'),
  ...crud('contact', 'contacts'),
  ...crud('lead', 'leads', { ownable: true }),
  ...crud('deal', 'deals', { ownable: true }),
  ...crud('pipeline', 'pipelines'),
  ...crud('activity', 'activities', { ownable: true }),
  ...crud('quotation', 'quotations', { ownable: true }),
  ...crud('sales_target', 'sales targets'),
  ...crud('campaign', 'campaigns'),
  ...crud('template', 'message templates'),
  ...crud('ticket', 'support tickets', { ownable: true }),
  ...crud('knowledge_article', 'knowledge articles'),
  ...crud('feedback', 'feedback'),
  ...crud('partner', 'partner organizations'),
  ...crud('project', 'CSR projects', { ownable: true }),
  ...crud('milestone', 'milestones', { ownable: true }),
  { key: 'milestone:approve', description: 'Approve completed milestones' },
  ...crud('budget', 'budgets and allocations'),
  ...crud('expense', 'expenses'),
  { key: 'expense:approve', description: 'Approve or reject expenses' },
  ...crud('disbursement', 'disbursements'),
  ...crud('survey', 'surveys and responses', { ownable: true }),
  ...crud('kpi', 'KPIs and measurements'),
  ...crud('message', 'conversations and messages', { ownable: true }),
  ...crud('file', 'files'),
  ...crud('report', 'reports', { actions: ['read', 'generate'] }),
  ...crud('plan', 'plans'),
  ...crud('subscription', 'subscriptions'),
  ...crud('invoice', 'invoices'),
  ...crud('payment', 'payments'),
  { key: 'payment:refund', description: 'Refund payments' },
  ...crud('settlement', 'settlements'),
  { key: 'settlement:approve', description: 'Approve settlements' },
  ...crud('credit', 'credit wallets', { actions: ['read', 'write'] }),
  ...crud('reconciliation', 'reconciliation files, mappings and runs'),
  ...crud('matching_rule', 'matching rules'),
  ...crud('exception', 'reconciliation exceptions', { actions: ['read', 'write', 'resolve'] }),
  ...crud('approval', 'approvals', { actions: ['read', 'approve'] }),
  ...crud('setting', 'organization settings', { actions: ['read', 'write'] }),
];

definePermissions([...PLATFORM_PERMISSIONS, ...DOMAIN_PERMISSIONS]);
