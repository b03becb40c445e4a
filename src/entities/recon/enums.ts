/** Enumerations of the reconciliation domain (GraphQL enums and native PostgreSQL enums). */
import { registerEnumType } from 'type-graphql';

export enum ReconFileType {
  BANK = 'bank',
  SETTLEMENT = 'settlement',
  SWITCH = 'switch',
  CARD = 'card',
  GL = 'gl',
}
registerEnumType(ReconFileType, { name: 'ReconciliationFileType' });

export enum ReconFileFormat {
  CSV = 'csv',
  XLSX = 'xlsx',
}
registerEnumType(ReconFileFormat, { name: 'ReconciliationFileFormat' });

export enum ReconFileStatus {
  UPLOADED = 'uploaded',
  MAPPED = 'mapped',
  NORMALIZED = 'normalized',
  PROCESSED = 'processed',
  ERROR = 'error',
}
registerEnumType(ReconFileStatus, { name: 'ReconciliationFileStatus', description: 'uploaded → mapped → normalized → processed, or error' });

export enum TargetField {
  AMOUNT = 'amount',
  DATE = 'date',
  VALUE_DATE = 'valueDate',
  REFERENCE = 'reference',
  DESCRIPTION = 'description',
  CURRENCY = 'currency',
  CHANNEL = 'channel',
  DEBIT_CREDIT = 'debitCredit',
  IGNORE = 'ignore',
}
registerEnumType(TargetField, { name: 'MappingTargetField' });

export enum MappingDataType {
  STRING = 'string',
  NUMBER = 'number',
  DATE = 'date',
  CURRENCY = 'currency',
}
registerEnumType(MappingDataType, { name: 'MappingDataType' });

export enum MatchingRuleType {
  EXACT = 'exact',
  FUZZY = 'fuzzy',
  RANGE = 'range',
  REGEX = 'regex',
}
registerEnumType(MatchingRuleType, { name: 'MatchingRuleType' });

export enum MatchingRuleStatus {
  PENDING_APPROVAL = 'pending_approval',
  APPROVED = 'approved',
  REJECTED = 'rejected',
}
registerEnumType(MatchingRuleStatus, { name: 'MatchingRuleStatus' });

export enum MatchField {
  REFERENCE = 'reference',
  AMOUNT = 'amount',
  DATE = 'date',
  DESCRIPTION = 'description',
  CURRENCY = 'currency',
  CHANNEL = 'channel',
}
registerEnumType(MatchField, { name: 'MatchField' });

export enum ApprovalType {
  RULE_CONFIGURATION = 'rule_configuration',
  LEDGER_POSTING = 'ledger_posting',
  USER_ONBOARDING = 'user_onboarding',
  EXCEPTION_RESOLUTION = 'exception_resolution',
  REPORT_GENERATION = 'report_generation',
  SYSTEM_SETTING = 'system_setting',
}
registerEnumType(ApprovalType, { name: 'ApprovalType' });

export enum ApprovalStatus {
  PENDING = 'pending',
  APPROVED = 'approved',
  DECLINED = 'declined',
}
registerEnumType(ApprovalStatus, { name: 'ApprovalStatus' });

export enum ReconJobStatus {
  PENDING = 'pending',
  PROCESSING = 'processing',
  COMPLETED = 'completed',
  FAILED = 'failed',
  CANCELLED = 'cancelled',
}
registerEnumType(ReconJobStatus, { name: 'ReconciliationJobStatus' });

export enum MatchType {
  ONE_TO_ONE = 'one_to_one',
  ONE_TO_MANY = 'one_to_many',
  MANY_TO_ONE = 'many_to_one',
}
registerEnumType(MatchType, { name: 'MatchType', description: 'one_to_many: one source row to several target rows; many_to_one: several source rows to one target row' });

export enum ReconSide {
  SOURCE = 'source',
  TARGET = 'target',
}
registerEnumType(ReconSide, { name: 'ReconciliationSide' });

export enum ExceptionType {
  AMOUNT_MISMATCH = 'amount_mismatch',
  DATE_MISMATCH = 'date_mismatch',
  MISSING_ENTRY = 'missing_entry',
  DUPLICATE = 'duplicate',
  TIMING_DIFFERENCE = 'timing_difference',
  NON_SETTLEMENT = 'non_settlement',
}
registerEnumType(ExceptionType, { name: 'ExceptionType' });

export enum ExceptionSeverity {
  LOW = 'low',
  MEDIUM = 'medium',
  HIGH = 'high',
  CRITICAL = 'critical',
}
registerEnumType(ExceptionSeverity, { name: 'ExceptionSeverity' });

export enum ExceptionStatus {
  OPEN = 'open',
  IN_PROGRESS = 'in_progress',
  RESOLVED = 'resolved',
  ESCALATED = 'escalated',
  IGNORED = 'ignored',
}
registerEnumType(ExceptionStatus, { name: 'ExceptionStatus' });
