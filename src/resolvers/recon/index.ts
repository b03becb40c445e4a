import {
  ApprovalResolver,
  MatchingRuleResolver,
  MatchResolver,
  ReconciliationExceptionResolver,
  ReconciliationFileResolver,
  ReconciliationJobResolver,
} from './recon.resolver';

export { reconRules } from './recon.rules';
export const reconResolvers = [
  ReconciliationFileResolver,
  MatchingRuleResolver,
  ApprovalResolver,
  ReconciliationJobResolver,
  MatchResolver,
  ReconciliationExceptionResolver,
] as const;
