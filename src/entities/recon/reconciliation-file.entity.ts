import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';
import { ReconFileFormat, ReconFileStatus, ReconFileType } from './enums';

/** An uploaded statement (CSV or Excel) registered for reconciliation; its rows are normalized into recon_row. */
@ObjectType({ simpleResolvers: true, description: 'A file registered for reconciliation: type, checksum, row count and processing status' })
@Entity({ tableName: 'recon_file' })
@Index({ properties: ['organizationId', 'sha256'] })
export class ReconciliationFile extends TenantEntity {
  @Field(() => ID, { nullable: true, description: 'The uploaded File (null once that file is deleted)' })
  @ManyToOne({ entity: 'File', mapToPk: true, fieldName: 'file_id', nullable: true, deleteRule: 'set null', index: true })
  fileId?: string | null;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field(() => ReconFileType)
  @Enum({ items: () => ReconFileType, nativeEnumName: 'recon_file_type' })
  type!: ReconFileType;

  @Field(() => ReconFileFormat)
  @Enum({ items: () => ReconFileFormat, nativeEnumName: 'recon_file_format' })
  format!: ReconFileFormat;

  @Field(() => Int, { description: 'Size in bytes' })
  @Property({ type: 'integer' })
  size!: number;

  @Field({ description: 'Hex SHA-256 of the content' })
  @Property({ type: 'text' })
  sha256!: string;

  @Field(() => ID, { nullable: true, description: 'An earlier file of this organization with the same content (uploaded again on purpose)' })
  @Property({ type: 'uuid', nullable: true })
  duplicateOf?: string | null;

  @Field(() => [String], { description: 'Column names of the header row' })
  @Property({ type: 'jsonb' })
  headers: string[] = [];

  @Field(() => Int, { nullable: true, description: 'Data rows (header excluded)' })
  @Property({ type: 'integer', nullable: true })
  rowCount?: number | null;

  @Field(() => ReconFileStatus)
  @Enum({ items: () => ReconFileStatus, nativeEnumName: 'recon_file_status' })
  status: ReconFileStatus = ReconFileStatus.UPLOADED;

  @Field(() => String, { nullable: true, description: 'Why the file is in error, e.g. "Row 7: amount \\"12,x\\" is not a number"' })
  @Property({ type: 'text', nullable: true })
  errorMessage?: string | null;

  @Field(() => ID, { nullable: true, description: 'The background job normalizing the file' })
  @Property({ type: 'uuid', nullable: true })
  normalizationJobId?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  normalizedAt?: Date | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'uploaded_by_id', nullable: true, deleteRule: 'set null', index: true })
  uploadedBy?: string | null;
}
