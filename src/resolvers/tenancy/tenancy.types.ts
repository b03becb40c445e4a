import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsUrl,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection, DateTimeFilter, EnumFilter, IdFilter, OrderDirection, PageArgs, StringFilter } from '../../schema/common';
import { Organization, OrganizationStatus } from '../../entities/tenancy/organization.entity';
import { Membership, MembershipStatus } from '../../entities/tenancy/membership.entity';
import { Invitation, InvitationStatus } from '../../entities/tenancy/invitation.entity';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const DOMAIN_PATTERN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{4,29}$/;
const COLOR_PATTERN = /^#[0-9a-fA-F]{6}$/;
const TIER_PATTERN = /^[a-z][a-z0-9_-]{0,49}$/;
export const FEATURE_MODULES = ['crm', 'marketing', 'support', 'csr', 'billing', 'reconciliation'];

export const OrganizationConnection = Connection(Organization);
export const MembershipConnection = Connection(Membership);
const OrganizationStatusFilter = EnumFilter(OrganizationStatus, 'OrganizationStatus');
const MembershipStatusFilter = EnumFilter(MembershipStatus, 'MembershipStatus');

@InputType()
export class OrganizationFilter {
  @Field(() => OrganizationStatusFilter, { nullable: true }) status?: { eq?: OrganizationStatus; ne?: OrganizationStatus; in?: OrganizationStatus[] };
  @Field(() => StringFilter, { nullable: true }) name?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) slug?: StringFilter;
  @Field(() => StringFilter, { nullable: true }) subscriptionTier?: StringFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum OrganizationOrderField {
  NAME = 'name',
  SLUG = 'slug',
  STATUS = 'status',
  CREATED_AT = 'createdAt',
}
registerEnumType(OrganizationOrderField, { name: 'OrganizationOrderField' });

@InputType()
export class OrganizationOrder {
  @Field(() => OrganizationOrderField) field!: OrganizationOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class OrganizationsArgs extends PageArgs {
  @Field(() => OrganizationFilter, { nullable: true }) filter?: OrganizationFilter;
  @Field(() => [OrganizationOrder], { nullable: true }) orderBy?: OrganizationOrder[];
  @Field({ nullable: true, description: 'Case-insensitive substring of the name or slug' })
  @IsOptional()
  @MaxLength(200)
  search?: string;
}

@InputType()
export class QuotasInput {
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(1_000_000) maxUsers?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(1_000_000) maxStorageGb?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(0) @Max(100_000_000) maxJobsPerMonth?: number;
  @Field(() => Int, { nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(100_000) maxFileSizeMb?: number;
  @Field(() => [String], { nullable: true })
  @IsOptional()
  @ArrayUnique()
  @IsIn(FEATURE_MODULES, { each: true, message: `modules must be among ${FEATURE_MODULES.join(', ')}` })
  modules?: string[];
}

@InputType()
export class BrandingInput {
  @Field(() => String, { nullable: true }) @IsOptional() @IsUrl({ protocols: ['https'], require_protocol: true }, { message: 'logoUrl must be an https URL' }) @MaxLength(2000) logoUrl?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(COLOR_PATTERN, { message: 'primaryColor must look like #1a2b3c' }) primaryColor?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(COLOR_PATTERN, { message: 'secondaryColor must look like #1a2b3c' }) secondaryColor?: string | null;
}

@InputType()
export class AddressInput {
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) line1?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(200) line2?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) city?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(100) region?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(20) postalCode?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(/^[A-Z]{2}$/, { message: 'country must be an ISO 3166-1 alpha-2 code' }) country?: string | null;
}

@InputType({ description: 'What organization admins may change about their own organization' })
export class UpdateOrganizationSettingsInput {
  @Field(() => GraphQLJSONObject, { nullable: true }) @IsOptional() settings?: Record<string, unknown> | null;
  @Field(() => BrandingInput, { nullable: true }) @IsOptional() @ValidateNested() branding?: BrandingInput | null;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail({}, { message: 'contactEmail must be a valid email address' }) @MaxLength(320) contactEmail?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(PHONE_PATTERN, { message: 'contactPhone must be a phone number' }) contactPhone?: string | null;
  @Field(() => AddressInput, { nullable: true }) @IsOptional() @ValidateNested() address?: AddressInput | null;
}

@InputType({ description: 'Platform operator: every editable property of an organization' })
export class UpdateOrganizationInput extends UpdateOrganizationSettingsInput {
  @Field({ nullable: true }) @IsOptional() @Length(1, 200) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(DOMAIN_PATTERN, { message: 'domain must be a domain name' }) domain?: string | null;
  @Field({ nullable: true }) @IsOptional() @Matches(TIER_PATTERN, { message: 'subscriptionTier must be lowercase letters, digits, - or _' }) subscriptionTier?: string;
  @Field(() => QuotasInput, { nullable: true }) @IsOptional() @ValidateNested() quotas?: QuotasInput | null;
}

@InputType()
export class CreateOrganizationInput {
  @Field() @Length(1, 200) name!: string;
  @Field() @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and dashes' }) slug!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Matches(DOMAIN_PATTERN, { message: 'domain must be a domain name' }) domain?: string | null;
  @Field(() => OrganizationStatus, { nullable: true, description: 'active (default) or trial' })
  @IsOptional()
  @IsIn([OrganizationStatus.ACTIVE, OrganizationStatus.TRIAL], { message: 'status must be ACTIVE or TRIAL' })
  status?: OrganizationStatus;
  @Field({ nullable: true }) @IsOptional() @Matches(TIER_PATTERN, { message: 'subscriptionTier must be lowercase letters, digits, - or _' }) subscriptionTier?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @IsEmail({}, { message: 'contactEmail must be a valid email address' }) contactEmail?: string | null;
  @Field(() => String, { nullable: true, description: 'An existing user who becomes the owner' })
  @IsOptional()
  @IsEmail({}, { message: 'ownerEmail must be a valid email address' })
  ownerEmail?: string | null;
}

@InputType()
export class MemberFilter {
  @Field(() => MembershipStatusFilter, { nullable: true }) status?: { eq?: MembershipStatus; ne?: MembershipStatus; in?: MembershipStatus[] };
  @Field(() => IdFilter, { nullable: true }) userId?: IdFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
}

export enum MemberOrderField {
  CREATED_AT = 'createdAt',
  STATUS = 'status',
}
registerEnumType(MemberOrderField, { name: 'MemberOrderField' });

@InputType()
export class MemberOrder {
  @Field(() => MemberOrderField) field!: MemberOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class MembersArgs extends PageArgs {
  @Field(() => MemberFilter, { nullable: true }) filter?: MemberFilter;
  @Field(() => [MemberOrder], { nullable: true }) orderBy?: MemberOrder[];
}


export const InvitationConnection = Connection(Invitation);

@InputType()
export class InviteMemberInput {
  @Field() @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(320) email!: string;
  @Field(() => [ID], { description: 'Roles of the caller’s organization the new member will hold (at least one)' })
  @ArrayMinSize(1, { message: 'roleIds needs at least one role' })
  @ArrayMaxSize(50)
  roleIds!: string[];
}

@InputType({ description: 'firstName, lastName and password create the account when none exists for the invited email' })
export class AcceptInvitationInput {
  @Field({ description: 'The token from the invitation email' }) @Length(1, 300) token!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) firstName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) lastName?: string | null;
  @Field(() => String, { nullable: true, description: 'At least 8 characters with upper and lower case, a digit and a special character' })
  @IsOptional()
  @MaxLength(256)
  password?: string | null;
}

@InputType()
export class InvitationFilter {
  @Field(() => InvitationStatus, { nullable: true }) status?: InvitationStatus;
  @Field(() => StringFilter, { nullable: true }) email?: StringFilter;
  @Field(() => DateTimeFilter, { nullable: true }) createdAt?: DateTimeFilter;
  @Field(() => DateTimeFilter, { nullable: true }) expiresAt?: DateTimeFilter;
}

export enum InvitationOrderField {
  CREATED_AT = 'createdAt',
  EXPIRES_AT = 'expiresAt',
  EMAIL = 'email',
}
registerEnumType(InvitationOrderField, { name: 'InvitationOrderField' });

@InputType()
export class InvitationOrder {
  @Field(() => InvitationOrderField) field!: InvitationOrderField;
  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC }) direction!: OrderDirection;
}

@ArgsType()
export class InvitationsArgs extends PageArgs {
  @Field(() => InvitationFilter, { nullable: true }) filter?: InvitationFilter;
  @Field(() => [InvitationOrder], { nullable: true }) orderBy?: InvitationOrder[];
}
