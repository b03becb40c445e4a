import { isAuthenticated, isPublic, type RuleMap } from '../../schema/rules';

export const identityRules: RuleMap = {
  Query: { me: isAuthenticated },
  Mutation: { signUp: isPublic, login: isPublic, refreshSession: isPublic, logout: isAuthenticated },
};
