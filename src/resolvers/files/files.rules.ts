import { can, type RuleMap } from '../../schema/rules';

export const filesRules: RuleMap = {
  Query: { file: can('file:read'), files: can('file:read') },
  Mutation: { createUpload: can('file:write'), deleteFile: can('file:delete') },
};
