import { RoleResolver } from './role.resolver';

export { accessRules } from './access.rules';
export const accessResolvers = [RoleResolver] as const;
