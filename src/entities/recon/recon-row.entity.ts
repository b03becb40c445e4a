import { Entity, Enum, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DecimalScalar, DateScalar } from '../../schema/scalars';

export enum RowDirection {
  DEBIT = 'debit',
  CREDIT = 'credit',
}

/**
 * One normalized row of a reconciliation file. Millions of these are written by COPY (through a
 * transaction-local table) and joined by set-based SQL, so the table is kept narrow: a bigint identity
 * key instead of a uuid and no timestamps (not a TenantEntity); organization_id carries the
 * row-level security policy like every tenant table.
 */
@ObjectType({ simpleResolvers: true, description: 'A normalized row of a reconciliation file' })
@Entity({ tableName: 'recon_row' })
@Index({ properties: ['fileId', 'rowNumber'] })
export class ReconRow {
  @Field(() => ID)
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid', fieldName: 'organization_id' })
  organizationId!: string;

  @Field(() => ID, { description: 'The ReconciliationFile' })
  @Property({ type: 'uuid' })
  fileId!: string;

  @Field(() => Int, { description: 'Line in the file (the header is line 1)' })
  @Property({ type: 'integer' })
  rowNumber!: number;

  @Field(() => DecimalScalar, { description: 'Signed amount (debits negative when the mapping has a debit/credit column)' })
  @Property({ type: 'decimal', precision: 18, scale: 2 })
  amount!: string;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  date?: string | null;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  valueDate?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  reference?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  currency?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  channel?: string | null;

  @Field(() => String, { nullable: true, description: 'debit or credit, when the file says' })
  @Enum({ items: () => RowDirection, nativeEnumName: 'recon_row_direction', nullable: true })
  direction?: RowDirection | null;
}
