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
import { Contact, Customer, Employee, Vendor } from './crm/people.entity';
import { Activity, Deal, Lead, Pipeline, PipelineStage, Quotation, QuotationItem, SalesTarget } from './crm/sales.entity';

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
];
