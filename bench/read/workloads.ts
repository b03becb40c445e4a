/**
 * The lists bench:read measures: the query each participant receives and how its answer maps to
 * one canonical shape, so that "the same data" is checked value by value.
 */
type Json = Record<string, unknown>;

export interface Workload {
  key: string;
  title: string;
  /** The demo role Tessera's requests sign in as. */
  role: string;
  tesseraQuery: string;
  postgraphileQuery: string;
  /** The floor server's path for this list. */
  floorPath: string;
  normalizeTessera(data: unknown): unknown;
  normalizePostgraphile(data: unknown): unknown;
  normalizeFloor(data: unknown): unknown;
  describe(canonical: unknown): string;
}

const upper = (v: unknown) => (v == null ? v : String(v).toUpperCase());
const day = (v: unknown) => (v == null ? v : String(v).slice(0, 10));
const edges = (data: unknown, field: string) => ((data as Json)[field] as { edges: { node: Json }[] }).edges.map((e) => e.node);

function canonicalProject(node: Json, milestones: Json[]) {
  const partner = node.partner as Json | null;
  return {
    id: node.id,
    title: node.title,
    status: upper(node.status),
    sector: upper(node.sector),
    partner: partner ? { id: partner.id, name: partner.name } : null,
    milestones: milestones.map((m) => ({
      id: m.id,
      title: m.title,
      status: upper(m.status),
      completionPercentage: m.completionPercentage,
      dueDate: day(m.dueDate),
    })),
  };
}

export const projectsWorkload: Workload = {
  key: 'projects',
  title: 'projects(first: 50) with partner and milestones, as a csr_manager',
  role: 'csr_manager',
  tesseraQuery:
    'query { projects(first: 50) { edges { node { id title status sector partner { id name } milestones { id title status completionPercentage dueDate } } } } }',
  // PostGraphile's own names for the same relations, aliased to the same shape; newest first like Tessera's default order.
  postgraphileQuery:
    'query { projects: allCsrProjects(first: 50, orderBy: [CREATED_AT_DESC, ID_DESC]) { edges { node { id title status sector ' +
    'partner: csrPartnerByPartnerId { id name } milestones: csrMilestonesByProjectId(orderBy: ID_ASC) { nodes { id title status completionPercentage dueDate } } } } } }',
  floorPath: '/projects',
  normalizeTessera: (data) => edges(data, 'projects').map((n) => canonicalProject(n, n.milestones as Json[])),
  normalizePostgraphile: (data) => edges(data, 'projects').map((n) => canonicalProject(n, (n.milestones as { nodes: Json[] }).nodes)),
  normalizeFloor: (data) => edges(data, 'projects').map((n) => canonicalProject(n, n.milestones as Json[])),
  describe: (c) => {
    const list = c as { milestones: unknown[] }[];
    return `${list.length} projects, ${list.reduce((a, p) => a + p.milestones.length, 0)} milestones`;
  },
};

/** Decimals as exact strings without trailing zeros: "1007.00" and "1007" are the same amount. */
const decimal = (v: unknown) => (v == null ? v : String(v).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));

function canonicalDeal(node: Json) {
  const customer = node.customer as Json | null;
  const stage = node.stage as Json;
  const employee = node.assignedEmployee as Json | null;
  return {
    id: node.id,
    title: node.title,
    value: decimal(node.value),
    currency: node.currency,
    probability: node.probability,
    customer: customer ? { id: customer.id, name: customer.name } : null,
    stage: { id: stage.id, name: stage.name, probability: stage.probability },
    assignedEmployee: employee ? { id: employee.id, firstName: employee.firstName, lastName: employee.lastName } : null,
  };
}

export const dealsWorkload: Workload = {
  key: 'deals',
  title: 'deals(first: 50) with customer, stage and assigned employee, as an admin',
  role: 'admin',
  tesseraQuery:
    'query { deals(first: 50) { edges { node { id title value currency probability customer { id name } stage { id name probability } ' +
    'assignedEmployee { id firstName lastName } } } } }',
  postgraphileQuery:
    'query { deals: allCrmDeals(first: 50, orderBy: [CREATED_AT_DESC, ID_DESC], condition: { deletedAt: null }) { edges { node { id title value currency probability ' +
    'customer: crmCustomerByCustomerId { id name } stage: crmPipelineStageByStageId { id name probability } ' +
    'assignedEmployee: crmEmployeeByAssignedEmployeeId { id firstName lastName } } } } }',
  floorPath: '/deals',
  normalizeTessera: (data) => edges(data, 'deals').map(canonicalDeal),
  normalizePostgraphile: (data) => edges(data, 'deals').map(canonicalDeal),
  normalizeFloor: (data) => edges(data, 'deals').map(canonicalDeal),
  describe: (c) => `${(c as unknown[]).length} deals with their customer, stage and employee`,
};

export const WORKLOADS: Workload[] = [projectsWorkload, dealsWorkload];
