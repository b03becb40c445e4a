import { can, type RuleMap } from '../../schema/rules';

/**
 * Shield rules of the CRM. `can(x)` passes with any scope of x; `own` scope (sales on leads,
 * deals, activities, quotations) is narrowed in the services, on every read and write.
 */
export const crmRules: RuleMap = {
  Query: {
    employee: can('employee:read'), employees: can('employee:read'),
    vendor: can('vendor:read'), vendors: can('vendor:read'),
    customer: can('customer:read'), customers: can('customer:read'), customerStatistics: can('customer:read'),
    contact: can('contact:read'), contacts: can('contact:read'),
    lead: can('lead:read'), leads: can('lead:read'), leadStatistics: can('lead:read'),
    pipeline: can('pipeline:read'), pipelines: can('pipeline:read'),
    deal: can('deal:read'), deals: can('deal:read'), dealStatistics: can('deal:read'),
    activity: can('activity:read'), activities: can('activity:read'),
    quotation: can('quotation:read'), quotations: can('quotation:read'),
    salesTarget: can('sales_target:read'), salesTargets: can('sales_target:read'),
  },
  Mutation: {
    createEmployee: can('employee:write'), updateEmployee: can('employee:write'), deleteEmployee: can('employee:delete'),
    createVendor: can('vendor:write'), updateVendor: can('vendor:write'), deleteVendor: can('vendor:delete'),
    createCustomer: can('customer:write'), updateCustomer: can('customer:write'), activateCustomer: can('customer:write'),
    deactivateCustomer: can('customer:write'), deleteCustomer: can('customer:delete'), restoreCustomer: can('customer:write'),
    bulkUpdateCustomers: can('customer:write'), bulkDeleteCustomers: can('customer:delete'), exportCustomers: can('customer:read'),
    createContact: can('contact:write'), updateContact: can('contact:write'), deleteContact: can('contact:delete'),
    restoreContact: can('contact:write'), bulkUpdateContacts: can('contact:write'), bulkDeleteContacts: can('contact:delete'),
    createLead: can('lead:write'), updateLead: can('lead:write'), deleteLead: can('lead:delete'), restoreLead: can('lead:write'),
    bulkUpdateLeads: can('lead:write'), bulkDeleteLeads: can('lead:delete'), convertLead: can('lead:write'), exportLeads: can('lead:read'),
    createPipeline: can('pipeline:write'),
    createDeal: can('deal:write'), updateDeal: can('deal:write'), moveDealToStage: can('deal:write'), winDeal: can('deal:write'),
    loseDeal: can('deal:write'), deleteDeal: can('deal:delete'), restoreDeal: can('deal:write'), bulkUpdateDeals: can('deal:write'),
    bulkDeleteDeals: can('deal:delete'), exportDeals: can('deal:read'),
    createActivity: can('activity:write'), updateActivity: can('activity:write'), deleteActivity: can('activity:delete'),
    createQuotation: can('quotation:write'), updateQuotation: can('quotation:write'), sendQuotation: can('quotation:write'),
    acceptQuotation: can('quotation:write'), rejectQuotation: can('quotation:write'), expireQuotation: can('quotation:write'),
    deleteQuotation: can('quotation:delete'),
    createSalesTarget: can('sales_target:write'), updateSalesTarget: can('sales_target:write'), deleteSalesTarget: can('sales_target:delete'),
  },
  Subscription: { dealStageChanged: can('deal:read'), leadConverted: can('lead:read') },
};
