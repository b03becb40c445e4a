import { Entity, Enum, Index, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantEntity } from '../../core/orm/base-entities';

export enum FileStatus {
  /** Created by createUpload; waiting for its bytes until expiresAt. */
  PENDING = 'pending',
  /** Bytes stored, sha256 and MIME type checked. */
  READY = 'ready',
  /** The upload broke the declaration (too large, wrong size or content type); nothing is stored. */
  REJECTED = 'rejected',
}
registerEnumType(FileStatus, { name: 'FileStatus' });

/** An uploaded file of an organization. The bytes live in object storage under storageKey. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'files_file' })
@Index({ properties: ['organizationId', 'status'] })
export class File extends TenantEntity {
  @Field({ description: 'File name as uploaded (no path)' })
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'Type detected from the content (the declared type for text files, checked to be UTF-8 text)' })
  @Property({ type: 'text' })
  mimeType!: string;

  @Field({ description: 'Type the uploader declared in createUpload' })
  @Property({ type: 'text' })
  declaredMimeType!: string;

  @Field(() => Int, { description: 'Size in bytes (declared until ready, then the stored size, which must match)' })
  @Property({ type: 'integer' })
  size!: number;

  @Field(() => String, { nullable: true, description: 'Hex SHA-256 of the stored bytes, once ready' })
  @Property({ type: 'text', nullable: true })
  sha256?: string | null;

  /** Object key in storage, set when the bytes are stored; never exposed. */
  @Property({ type: 'text', nullable: true })
  storageKey?: string | null;

  @Field(() => FileStatus)
  @Enum({ items: () => FileStatus, nativeEnumName: 'file_status' })
  status: FileStatus = FileStatus.PENDING;

  @Field(() => String, { nullable: true, description: 'Why the upload was rejected' })
  @Property({ type: 'text', nullable: true })
  rejectionReason?: string | null;

  @Field(() => ID, { nullable: true, description: 'The user who created the upload (null once that user is deleted)' })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'uploaded_by_id', nullable: true, deleteRule: 'set null', index: true })
  uploadedBy?: string | null;

  @Field(() => Date, { nullable: true, description: 'While pending: when the upload URL stops working' })
  @Property({ type: 'timestamptz', nullable: true })
  expiresAt?: Date | null;
}
