import { can, type RuleMap } from '../../schema/rules';

export const accessRules: RuleMap = {
  Query: { roles: can('role:read'), permissionCatalog: can('role:read') },
  Mutation: { createRole: can('role:write'), updateRole: can('role:write'), deleteRole: can('role:write') },
};
