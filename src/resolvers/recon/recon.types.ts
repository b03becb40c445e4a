import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Length } from 'class-validator';
import { Approval } from '../../entities/recon/approval.entity';
import { ColumnMapping, MappingTransformation } from '../../entities/recon/data-mapping.entity';
import {
  ApprovalStatus,
  ApprovalType,
  ExceptionSeverity,
  ExceptionStatus,
  ExceptionType,
  MappingDataType,
  MatchField,
  MatchingRuleStatus,
  MatchingRuleType,
  MatchType,
  ReconFileStatus,
  ReconFileType,
  ReconJobStatus,
  ReconSide,
  TargetField,
} from '../../entities/recon/enums';
import { MatchingRule } from '../../entities/recon/matching-rule.entity';
import { ReconRow } from '../../entities/recon/recon-row.entity';
import { ReconciliationException } from '../../entities/recon/reconciliation-exception.entity';
import { ReconciliationFile } from '../../entities/recon/reconciliation-file.entity';
import { ReconciliationJob } from '../../entities/recon/reconciliation-job.entity';
import { ReportFormat, type MatchRecord } from '../../services/recon';
import { Connection, DateTimeFilter, EnumFilter, IdFilter, PageArgs, StringFilter, DecimalFilter } from '../../schema/common';
import { DecimalScalar } from '../../schema/scalars';

registerEnumType(ReportFormat, { name: 'ReconciliationReportFormat' });

export const ReconciliationFileConnection = Connection(ReconciliationFile);
export const MatchingRuleConnection = Connection(MatchingRule);
export const ApprovalConnection = Connection(Approval);
export const ReconciliationJobConnection = Connection(ReconciliationJob);

@ObjectType({ simpleResolvers: true, description: 'Rows of both sides matched by a rule, with its confidence' })
export class Match implements MatchRecord {
  @Field(() => ID) id!: string;
  @Field(() => ID) jobId!: string;
  @Field(() => ID, { nullable: true, description: 'The MatchingRule (null when deleted since)' }) ruleId!: string | null;
  @Field(() => MatchType) type!: MatchType;
  @Field(() => Float, { description: '0–1' }) confidence!: number;
  @Field(() => DecimalScalar, { description: 'Source total minus target total' }) amountDifference!: string;
  sourceRowIds!: string[];
  targetRowIds!: string[];
}

export const MatchConnection = Connection(Match);
export const ReconRowConnection = Connection(ReconRow);
export const ReconciliationExceptionConnection = Connection(ReconciliationException);

type EnumOps<E> = { eq?: E; ne?: E; in?: E[] };
const FileStatusFilter = EnumFilter(ReconFileStatus, 'ReconciliationFileStatus');
const FileTypeFilter = EnumFilter(ReconFileType, 'ReconciliationFileType');
const RuleStatusFilter = EnumFilter(MatchingRuleStatus, 'MatchingRuleStatus');
const RuleTypeFilter = EnumFilter(MatchingRuleType, 'MatchingRuleType');
const ApprovalStatusFilter = EnumFilter(ApprovalStatus, 'ApprovalStatus');
const ApprovalTypeFilter = EnumFilter(ApprovalType, 'ApprovalType');
const JobStatusFilter = EnumFilter(ReconJobStatus, 'ReconciliationJobStatus');
const MatchTypeFilter = EnumFilter(MatchType, 'MatchType');
const ExceptionTypeFilter = EnumFilter(ExceptionType, 'ExceptionType');
const ExceptionSeverityFilter = EnumFilter(ExceptionSeverity, 'ExceptionSeverity');
const ExceptionStatusFilter = EnumFilter(ExceptionStatus, 'ExceptionStatus');
const SideFilter = EnumFilter(ReconSide, 'ReconciliationSide');

// ---- files and mappings ----

@InputType()
export class CreateReconciliationFileInput {
  @Field(() => ID, { description: 'A ready File uploaded with createUpload (text/csv or .xlsx)' }) fileId!: string;
  @Field(() => ReconFileType) type!: ReconFileType;
  @Field({ nullable: true, description: 'Defaults to the file name' }) @Length(1, 255) name?: string;
  @Field({ nullable: true, description: 'Register content that was registered before (otherwise CONFLICT with extensions.duplicateOf)' })
  allowDuplicate?: boolean;
}

@InputType()
export class ReconciliationFileFilter {
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => FileTypeFilter, { nullable: true }) type?: EnumOps<ReconFileType>;
  @Field(() => FileStatusFilter, { nullable: true }) status?: EnumOps<ReconFileStatus>;
  @Field(() => StringFilter, { nullable: true }) sha256?: StringFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

@ArgsType()
export class ReconciliationFilesArgs extends PageArgs {
  @Field(() => ReconciliationFileFilter, { nullable: true }) filter?: ReconciliationFileFilter;
}

@ObjectType({ simpleResolvers: true, description: 'A proposed mapping; nothing is saved until saveMapping' })
export class MappingSuggestion {
  @Field(() => [ColumnMapping]) columns!: ColumnMapping[];
  @Field(() => MappingTransformation) transformation!: MappingTransformation;
}

@InputType()
export class ColumnMappingInput {
  @Field() sourceColumn!: string;
  @Field(() => TargetField) targetField!: TargetField;
  @Field(() => MappingDataType, { nullable: true }) dataType?: MappingDataType;
  @Field({ nullable: true }) autoDetected?: boolean;
  @Field(() => Float, { nullable: true }) confidence?: number;
}

@InputType()
export class MappingTransformationInput {
  @Field({ nullable: true }) dateFormat?: string;
  @Field({ nullable: true }) decimalSeparator?: string;
  @Field({ nullable: true }) thousandsSeparator?: string;
  @Field(() => [String], { nullable: true }) debitValues?: string[];
  @Field(() => String, { nullable: true }) referencePattern?: string | null;
  @Field(() => String, { nullable: true }) defaultCurrency?: string | null;
}

@InputType()
export class SaveMappingInput {
  @Field(() => ID) reconciliationFileId!: string;
  @Field(() => [ColumnMappingInput]) columns!: ColumnMappingInput[];
  @Field(() => MappingTransformationInput, { nullable: true }) transformation?: MappingTransformationInput;
}

// ---- rules ----

@InputType()
export class MatchingRuleInput {
  @Field({ nullable: true }) name?: string;
  @Field(() => MatchingRuleType, { nullable: true }) type?: MatchingRuleType;
  @Field(() => [MatchField], { nullable: true }) fields?: MatchField[];
  @Field(() => DecimalScalar, { nullable: true }) amountTolerancePct?: string;
  @Field(() => DecimalScalar, { nullable: true }) amountToleranceAbs?: string;
  @Field(() => Int, { nullable: true }) dateToleranceDays?: number;
  @Field(() => DecimalScalar, { nullable: true }) similarityThreshold?: string;
  @Field(() => String, { nullable: true }) regexPattern?: string | null;
  @Field({ nullable: true }) allowGroups?: boolean;
  @Field(() => Int, { nullable: true }) priority?: number;
  @Field({ nullable: true }) active?: boolean;
}

@InputType()
export class MatchingRuleFilter {
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => RuleTypeFilter, { nullable: true }) type?: EnumOps<MatchingRuleType>;
  @Field(() => RuleStatusFilter, { nullable: true }) status?: EnumOps<MatchingRuleStatus>;
}

@ArgsType()
export class MatchingRulesArgs extends PageArgs {
  @Field(() => MatchingRuleFilter, { nullable: true }) filter?: MatchingRuleFilter;
}

// ---- approvals ----

@InputType()
export class ApprovalFilter {
  @Field(() => ApprovalStatusFilter, { nullable: true }) status?: EnumOps<ApprovalStatus>;
  @Field(() => ApprovalTypeFilter, { nullable: true }) type?: EnumOps<ApprovalType>;
  @Field(() => IdFilter, { nullable: true }) requestedBy?: IdFilter;
  @Field(() => IdFilter, { nullable: true }) resourceId?: IdFilter;
}

@ArgsType()
export class ApprovalsArgs extends PageArgs {
  @Field(() => ApprovalFilter, { nullable: true }) filter?: ApprovalFilter;
}

// ---- runs and results ----

@InputType()
export class StartReconciliationInput {
  @Field({ nullable: true }) @Length(1, 200) name?: string;
  @Field(() => [ID], { description: 'Source side (e.g. bank statement) files, normalized' }) sourceFileIds!: string[];
  @Field(() => [ID], { description: 'Target side (e.g. settlement) files, normalized' }) targetFileIds!: string[];
}

@InputType()
export class ReconciliationJobFilter {
  @Field(() => JobStatusFilter, { nullable: true }) status?: EnumOps<ReconJobStatus>;
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

@ArgsType()
export class ReconciliationJobsArgs extends PageArgs {
  @Field(() => ReconciliationJobFilter, { nullable: true }) filter?: ReconciliationJobFilter;
}

@InputType()
export class MatchFilter {
  @Field(() => IdFilter, { nullable: true }) ruleId?: IdFilter;
  @Field(() => MatchTypeFilter, { nullable: true }) type?: EnumOps<MatchType>;
}

@ArgsType()
export class MatchesArgs extends PageArgs {
  @Field(() => ID) jobId!: string;
  @Field(() => MatchFilter, { nullable: true }) filter?: MatchFilter;
}

@InputType()
export class ReconRowFilter {
  @Field(() => StringFilter, { nullable: true }) reference?: StringFilter;
  @Field(() => DecimalFilter, { nullable: true }) amount?: DecimalFilter;
}

@ArgsType()
export class UnmatchedRowsArgs extends PageArgs {
  @Field(() => ID) jobId!: string;
  @Field(() => ReconSide) side!: ReconSide;
  @Field(() => ReconRowFilter, { nullable: true }) filter?: ReconRowFilter;
}

@ObjectType({ simpleResolvers: true, description: 'A row of a match, with its side' })
export class MatchedRow extends ReconRow {
  @Field(() => ReconSide) side!: ReconSide;
}

@ObjectType({ simpleResolvers: true, description: 'Matches and rows found by one rule’s pass in a run' })
export class RuleStatistic {
  @Field(() => ID, { nullable: true }) ruleId!: string | null;
  @Field() ruleName!: string;
  @Field({ description: 'pairs, many_to_one or one_to_many' }) pass!: string;
  @Field(() => Int) matches!: number;
  @Field(() => Int) rows!: number;
  @Field(() => Float) averageConfidence!: number;
  @Field(() => DecimalScalar) amountDifference!: string;
}

@ObjectType({ simpleResolvers: true })
export class ReportRequest {
  @Field(() => ID, { nullable: true, description: 'The backgroundJob producing the report; its result holds fileId' }) backgroundJobId!: string | null;
}

// ---- exceptions ----

@InputType()
export class ReconciliationExceptionFilter {
  @Field(() => IdFilter, { nullable: true }) jobId?: IdFilter;
  @Field(() => ExceptionTypeFilter, { nullable: true }) type?: EnumOps<ExceptionType>;
  @Field(() => ExceptionSeverityFilter, { nullable: true }) severity?: EnumOps<ExceptionSeverity>;
  @Field(() => ExceptionStatusFilter, { nullable: true }) status?: EnumOps<ExceptionStatus>;
  @Field(() => SideFilter, { nullable: true }) side?: EnumOps<ReconSide>;
  @Field(() => IdFilter, { nullable: true }) assignedTo?: IdFilter;
  @Field(() => DecimalFilter, { nullable: true }) amount?: DecimalFilter;
  @Field(() => StringFilter, { nullable: true }) reference?: StringFilter;
}

@ArgsType()
export class ReconciliationExceptionsArgs extends PageArgs {
  @Field(() => ReconciliationExceptionFilter, { nullable: true }) filter?: ReconciliationExceptionFilter;
}

@ObjectType({ simpleResolvers: true })
export class BulkExceptionOutcome {
  @Field(() => Int, { description: 'Exceptions changed' }) updated!: number;
  @Field(() => Int, { description: 'Resolutions waiting for approval (amount above the threshold)' }) pendingApproval!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Open exceptions of one age bucket' })
export class ExceptionAgingBucket {
  @Field({ description: '0-1, 2-7, 8-30 or >30 (days since the transaction)' }) bucket!: string;
  @Field(() => Int) count!: number;
  @Field(() => DecimalScalar, { description: 'Sum of absolute amounts' }) amount!: string;
}
