/** The CRM domain's entry point for other domains, resolvers and jobs. */
export * from './people.service';
export * from './pipeline.service';
export * from './lead.service';
export * from './deal.service';
export * from './activity.service';
export * from './quotation.service';
export * from './sales-target.service';
export { requestExport, runExport } from './export.service';
export type { ExportKind, ExportPayload } from './export.service';
export { DealStageChanged, LeadConverted, seesOwned, subscribeDealStageChanged, subscribeLeadConverted } from './crm.events';
export type { DealStageChangedEvent, LeadConvertedEvent } from './crm.events';
export { expectedRevenue as dealExpectedRevenue } from './deal.service';
export { isVisible, type ListInput } from './common';
export { seedCrmDemo } from './seed';
