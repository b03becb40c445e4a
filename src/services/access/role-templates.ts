/**
 * System role templates (DOMAINS.md §2), created for every new organization. The CSR and
 * reconciliation grants follow the source permission matrices.
 */
import { permissionCatalog } from '../../core/access/permissions';
import './permission-catalog';

export interface RoleTemplate {
  key: string;
  name: string;
  description: string;
  permissions: () => string[];
}

const all = () => permissionCatalog().map((p) => p.key);
const rw = (...resources: string[]) => resources.flatMap((r) => [`${r}:read`, `${r}:write`]);
const read = (...resources: string[]) => resources.map((r) => `${r}:read`);

export const ROLE_TEMPLATES: RoleTemplate[] = [
  { key: 'owner', name: 'Owner', description: 'Full control of the organization', permissions: all },
  {
    key: 'admin',
    name: 'Admin',
    description: 'Manages members, roles, settings and every module',
    permissions: all,
  },
  {
    key: 'member',
    name: 'Member',
    description: 'Reads the organization’s shared records',
    permissions: () => [...read('organization', 'member', 'role', 'customer', 'contact', 'pipeline', 'project', 'partner', 'knowledge_article'), 'file:read'],
  },
  {
    key: 'sales',
    name: 'Sales',
    description: 'Works own leads, deals, activities and quotations; reads all customers',
    permissions: () => [
      ...read('organization', 'member', 'pipeline', 'sales_target', 'employee', 'vendor'),
      ...rw('customer', 'contact'),
      'lead:read:own', 'lead:write:own', 'deal:read:own', 'deal:write:own',
      'activity:read:own', 'activity:write:own', 'quotation:read:own', 'quotation:write:own',
      'file:read', 'file:write',
    ],
  },
  {
    key: 'support',
    name: 'Support',
    description: 'Handles tickets and the knowledge base; reads customers and contacts',
    permissions: () => [
      ...read('organization', 'member', 'customer', 'contact', 'feedback'),
      ...rw('ticket', 'knowledge_article', 'activity'),
      'file:read', 'file:write',
    ],
  },
  {
    key: 'csr_manager',
    name: 'CSR manager',
    description: 'Projects, budgets, users and reports: read and write all',
    permissions: () => [
      ...read('organization', 'member', 'role', 'expense', 'disbursement'),
      ...rw('project', 'partner', 'milestone', 'budget', 'survey', 'kpi', 'message', 'file'),
      'member:invite', 'milestone:approve', 'report:read', 'report:generate',
    ],
  },
  {
    key: 'finance_officer',
    name: 'Finance officer',
    description: 'Budgets and expenses: read and write all; financial reports',
    permissions: () => [
      ...read('organization', 'member', 'project', 'partner', 'milestone'),
      ...rw('budget', 'expense', 'disbursement', 'file'),
      'expense:approve', 'report:read', 'report:generate',
    ],
  },
  {
    key: 'me_officer',
    name: 'M&E officer',
    description: 'Surveys, KPIs and milestones',
    permissions: () => [
      ...read('organization', 'member', 'project', 'partner'),
      ...rw('survey', 'kpi', 'milestone', 'file'),
      'milestone:approve', 'report:read',
    ],
  },
  {
    key: 'recipient',
    name: 'Recipient',
    description: 'A partner’s user: reads and writes its own projects, milestones, surveys and messages only',
    permissions: () => [
      'organization:read',
      'project:read:own', 'project:write:own', 'milestone:read:own', 'milestone:write:own',
      'survey:read:own', 'survey:write:own', 'message:read:own', 'message:write:own',
      'file:read', 'file:write',
    ],
  },
  {
    key: 'editor',
    name: 'Editor',
    description: 'Content: knowledge articles, message templates, project descriptions',
    permissions: () => [...read('organization', 'project', 'partner'), ...rw('knowledge_article', 'template', 'file')],
  },
  {
    key: 'analyst',
    name: 'Analyst',
    description: 'Runs reconciliations and works exceptions',
    permissions: () => [
      ...read('organization', 'member', 'approval', 'matching_rule'),
      ...rw('reconciliation', 'file'),
      'matching_rule:write', 'exception:read', 'exception:write', 'exception:resolve', 'report:read', 'report:generate',
    ],
  },
  {
    key: 'auditor',
    name: 'Auditor',
    // Reads everything of the domain (approvals too, beyond the source matrix: the "auditors read everything") and changes nothing.
    description: 'Reads reconciliations, rules, exceptions, approvals, reports and the audit log',
    permissions: () => [...read('organization', 'member', 'reconciliation', 'matching_rule', 'exception', 'approval', 'report', 'file'), 'audit:read'],
  },
  {
    key: 'supervisor',
    name: 'Supervisor',
    description: 'Approves rule changes and exception resolutions (maker-checker)',
    permissions: () => [...read('organization', 'member', 'reconciliation', 'matching_rule', 'exception', 'approval'), 'approval:approve'],
  },
];
