import { ContactResolver, CustomerResolver, EmployeeResolver, VendorResolver } from './people.resolver';
import { ActivityResolver, DealResolver, LeadResolver, PipelineResolver, QuotationResolver, SalesTargetResolver } from './sales.resolver';

export { crmRules } from './crm.rules';
export const crmResolvers = [
  EmployeeResolver, VendorResolver, CustomerResolver, ContactResolver,
  LeadResolver, PipelineResolver, DealResolver, ActivityResolver, QuotationResolver, SalesTargetResolver,
] as const;
