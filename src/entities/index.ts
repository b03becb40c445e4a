/** Every MikroORM entity, grouped by domain. Add a domain's entities here. */
import { User } from './identity/user.entity';
import { RefreshToken, Session } from './identity/session.entity';
import { UserToken } from './identity/user-token.entity';
import { Organization } from './tenancy/organization.entity';
import { Membership } from './tenancy/membership.entity';
import { Invitation } from './tenancy/invitation.entity';
import { Role, RoleAssignment } from './access/role.entity';
import { AuditLog } from './audit/audit-log.entity';
import { RecordedMessage } from './messaging/recorded-message.entity';
import { File } from './files/file.entity';
import { Notification } from './notifications/notification.entity';
import { BackgroundJob } from './jobs/background-job.entity';
import { Partner, PartnerMember } from './csr/partner.entity';
import { Milestone, Project } from './csr/project.entity';
import { Budget, BudgetAllocation, Disbursement, Expense } from './csr/budget.entity';
import { Kpi, KpiMeasurement, Survey, SurveyResponse } from './csr/survey.entity';
import { Contact, Customer, Employee, Vendor } from './crm/people.entity';
import { Activity, Deal, Lead, Pipeline, PipelineStage, Quotation, QuotationItem, SalesTarget } from './crm/sales.entity';
import { ReconciliationFile } from './recon/reconciliation-file.entity';
import { DataMapping } from './recon/data-mapping.entity';
import { MatchingRule } from './recon/matching-rule.entity';
import { Approval } from './recon/approval.entity';
import { ReconciliationJob } from './recon/reconciliation-job.entity';
import { ReconRow } from './recon/recon-row.entity';
import { MatchSet, ReconLeftover } from './recon/match.entity';
import { ReconciliationException } from './recon/reconciliation-exception.entity';
import { Conversation, ConversationParticipant, Message } from './conversations/conversation.entity';

export const allEntities = [
  User,
  Session,
  RefreshToken,
  UserToken,
  Organization,
  Membership,
  Invitation,
  Role,
  RoleAssignment,
  AuditLog,
  RecordedMessage,
  File,
  Notification,
  BackgroundJob,
  Partner,
  PartnerMember,
  Project,
  Milestone,
  Budget,
  BudgetAllocation,
  Expense,
  Disbursement,
  Survey,
  SurveyResponse,
  Kpi,
  KpiMeasurement,
  Employee,
  Vendor,
  Customer,
  Contact,
  Lead,
  Pipeline,
  PipelineStage,
  Deal,
  Activity,
  Quotation,
  QuotationItem,
  SalesTarget,
  ReconciliationFile,
  DataMapping,
  MatchingRule,
  Approval,
  ReconciliationJob,
  ReconRow,
  MatchSet,
  ReconLeftover,
  ReconciliationException,
  Conversation,
  ConversationParticipant,
  Message,
];
