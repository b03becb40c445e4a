import { can, isAuthenticated, isPublic, type RuleMap } from '../../schema/rules';

export const identityRules: RuleMap = {
  Query: { me: isAuthenticated, sessions: isAuthenticated },
  Mutation: { signUp: isPublic, login: isPublic, refreshSession: isPublic, logout: isAuthenticated,
    changePassword: isAuthenticated,
    updateProfile: isAuthenticated,
    switchOrganization: isAuthenticated,
    revokeSession: isAuthenticated,
    enableMfa: isAuthenticated,
    confirmMfa: isAuthenticated,
    disableMfa: isAuthenticated,
    revokeMemberSessions: can('session:revoke'),
    requestPasswordReset: isPublic,
    resetPassword: isPublic,
    requestEmailVerification: isAuthenticated,
    verifyEmail: isPublic,
  },
};
