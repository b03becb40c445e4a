export { createOrganization } from './organization.service';
export type { NewOrganization } from './organization.service';
