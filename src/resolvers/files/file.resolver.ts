import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { File } from '../../entities/files/file.entity';
import * as files from '../../services/files';
import { CreateUploadInput, CreateUploadPayload, FileConnection, FilesArgs } from './files.types';
import { Parent } from '../../schema/common';
import { SelectedNodes, type FieldSelection } from '../../schema/selection';

@Resolver(() => File)
export class FileResolver {
  @Query(() => File, { description: 'A file of the caller’s organization, with a download URL valid for one hour once ready' })
  file(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<File> {
    return files.getFile(ctx, id);
  }

  @Query(() => FileConnection, { description: 'Files of the caller’s organization, newest first' })
  files(@Args() args: FilesArgs, @SelectedNodes(File) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return files.listFiles(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @FieldResolver(() => String, { nullable: true, description: 'Signed GET URL valid for one hour; null until the file is ready' })
  downloadUrl(@Parent() file: File, @Ctx() ctx: RequestContext): string | null {
    return files.downloadUrl(ctx, file);
  }

  @Mutation(() => CreateUploadPayload, {
    description: `A pending file and a signed URL to PUT its bytes on within ${files.UPLOAD_URL_TTL_SECONDS / 60} minutes; size checked against the organization’s quotas`,
  })
  createUpload(@Arg('input') input: CreateUploadInput, @Ctx() ctx: RequestContext): Promise<CreateUploadPayload> {
    return files.createUpload(ctx, input);
  }

  @Mutation(() => Boolean, { description: 'Deletes the file and its stored bytes' })
  deleteFile(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return files.deleteFile(ctx, id);
  }
}
