import { Entity, ManyToOne, Property } from '@mikro-orm/core';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { MappingDataType, TargetField } from './enums';

@ObjectType({ simpleResolvers: true, description: 'One source column mapped to a target field' })
export class ColumnMapping {
  @Field() sourceColumn!: string;
  @Field(() => TargetField) targetField!: TargetField;
  @Field(() => MappingDataType) dataType!: MappingDataType;
  @Field({ description: 'Proposed by suggestMapping rather than entered' }) autoDetected!: boolean;
  @Field(() => Float, { description: '0–1: how sure the suggestion is (1 for entered mappings)' }) confidence!: number;
}

@ObjectType({ simpleResolvers: true, description: 'How raw values become normalized ones' })
export class MappingTransformation {
  @Field({ description: 'Date format of date columns: YYYY-MM-DD, DD/MM/YYYY, MM/DD/YYYY, DD-MM-YYYY, DD.MM.YYYY, YYYYMMDD or DD-MMM-YYYY' })
  dateFormat!: string;
  @Field({ description: 'Decimal separator of amounts: . or ,' }) decimalSeparator!: string;
  @Field({ description: 'Thousands separator of amounts: , . space, \' or empty' }) thousandsSeparator!: string;
  @Field(() => [String], { description: 'Values of the debitCredit column that make the amount negative (case-insensitive), e.g. D, DR, DEBIT' })
  debitValues!: string[];
  @Field(() => String, { nullable: true, description: 'Regular expression extracting the reference from the description (first group, or the whole match) when the reference is empty' })
  referencePattern?: string | null;
  @Field(() => String, { nullable: true, description: 'Currency for rows without one (ISO 4217)' })
  defaultCurrency?: string | null;
}

/** The column mapping of one reconciliation file (one row per file). */
@ObjectType({ simpleResolvers: true, description: 'The mapping of a file’s columns to normalized fields, with transformation rules' })
@Entity({ tableName: 'recon_mapping' })
export class DataMapping extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'ReconciliationFile', mapToPk: true, fieldName: 'reconciliation_file_id', deleteRule: 'cascade', unique: true })
  reconciliationFileId!: string;

  @Field(() => [ColumnMapping])
  @Property({ type: 'jsonb' })
  columns: ColumnMapping[] = [];

  @Field(() => MappingTransformation)
  @Property({ type: 'jsonb' })
  transformation!: MappingTransformation;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'confirmed_by_id', nullable: true, deleteRule: 'set null' })
  confirmedBy?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  confirmedAt?: Date | null;
}
