import { ArgsType, Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsInt, Length, Min } from 'class-validator';
import { File, FileStatus } from '../../entities/files/file.entity';
import { Connection, DateTimeFilter, EnumFilter, IdFilter, IntFilter, OrderDirection, PageArgs, StringFilter } from '../../schema/common';

export const FileConnection = Connection(File);
const FileStatusFilter = EnumFilter(FileStatus, 'FileStatus');

@InputType()
export class CreateUploadInput {
  @Field({ description: 'File name (a path is reduced to its last part)' }) @Length(1, 255) name!: string;
  @Field({ description: 'Declared MIME type, one of the accepted types; the content is checked against it' }) @Length(1, 100) mimeType!: string;
  @Field(() => Int, { description: 'Exact size in bytes; the upload must send exactly this many' }) @IsInt() @Min(1) size!: number;
}

@ObjectType({ simpleResolvers: true })
export class CreateUploadPayload {
  @Field(() => File) file!: File;
  @Field({ description: 'PUT the bytes here (no Authorization header) before expiresAt' }) uploadUrl!: string;
  @Field() expiresAt!: Date;
}

@InputType()
export class FileFilter {
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) mimeType?: StringFilter;
  @Field(() => FileStatusFilter, { nullable: true }) status?: { eq?: FileStatus; ne?: FileStatus; in?: FileStatus[] };
  @Field(() => IdFilter, { nullable: true }) uploadedBy?: IdFilter;
  @Field(() => IntFilter, { nullable: true }) size?: IntFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum FileOrderField {
  CREATED_AT = 'createdAt',
  NAME = 'name',
  SIZE = 'size',
}
registerEnumType(FileOrderField, { name: 'FileOrderField' });

@InputType()
export class FileOrder {
  @Field(() => FileOrderField) field!: FileOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class FilesArgs extends PageArgs {
  @Field(() => FileFilter, { nullable: true }) filter?: FileFilter;
  @Field(() => [FileOrder], { nullable: true }) orderBy?: FileOrder[];
}
