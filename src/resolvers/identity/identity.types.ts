import { Field, InputType, Int, ObjectType } from 'type-graphql';
import { IsEmail, IsOptional, Length, Matches, MaxLength, MinLength } from 'class-validator';
import { User } from '../../entities/identity/user.entity';
import { Organization } from '../../entities/tenancy/organization.entity';
import { Session } from '../../entities/identity/session.entity';
import { Connection } from '../../schema/common';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

@ObjectType({ simpleResolvers: true })
export class AuthPayload {
  @Field() accessToken!: string;
  @Field() refreshToken!: string;
  @Field(() => Int, { description: 'Seconds until the access token expires' }) expiresIn!: number;
  @Field(() => User) user!: User;
  @Field(() => Organization, { nullable: true }) organization!: Organization | null;
}

@InputType()
export class SignUpInput {
  @Field() @Length(1, 200) organizationName!: string;
  @Field() @Matches(SLUG_PATTERN, { message: 'organizationSlug must be lowercase letters, digits and dashes' }) organizationSlug!: string;
  @Field() @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(320) email!: string;
  @Field() @MinLength(1) @MaxLength(256) password!: string;
  @Field() @Length(1, 100) firstName!: string;
  @Field() @Length(1, 100) lastName!: string;
}

@InputType()
export class LoginInput {
  @Field() @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(320) email!: string;
  @Field() @MinLength(1) @MaxLength(256) password!: string;
  @Field({ nullable: true }) @IsOptional() @Matches(SLUG_PATTERN, { message: 'organizationSlug is not a valid slug' }) organizationSlug?: string;
  @Field({ nullable: true, description: 'Required when the user has MFA on: the 6-digit code from the authenticator app, or a recovery code' })
  @IsOptional()
  @MaxLength(64)
  totpCode?: string;
}

@ObjectType({ simpleResolvers: true, description: 'A TOTP secret being enrolled: add it to an authenticator app, then confirmMfa with a code' })
export class MfaEnrolment {
  @Field({ description: 'Base32 secret, for typing into the app by hand' }) secret!: string;
  @Field({ description: 'otpauth:// URI, for a QR code' }) otpauthUrl!: string;
}

@ObjectType({ simpleResolvers: true })
export class MfaRecoveryCodes {
  @Field(() => [String], { description: 'Single-use codes that stand in for a TOTP code; shown only once' }) recoveryCodes!: string[];
}

@InputType()
export class DisableMfaInput {
  @Field() @MinLength(1) @MaxLength(256) password!: string;
  @Field({ description: 'A current TOTP code or a recovery code' }) @MinLength(1) @MaxLength(64) code!: string;
}

@InputType()
export class ChangePasswordInput {
  @Field() @MinLength(1) @MaxLength(256) currentPassword!: string;
  @Field({ description: 'At least 8 characters with upper and lower case, a digit and a special character; not one of the last 5' })
  @MinLength(1)
  @MaxLength(256)
  newPassword!: string;
}

export const PHONE_PATTERN = /^\+?[0-9][0-9 ().-]{3,30}$/;

@InputType({ description: 'Only the fields given change; phone: null clears it' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) firstName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @Length(1, 100) lastName?: string | null;
  @Field(() => String, { nullable: true })
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'phone must be digits, spaces, dashes or brackets, optionally starting with +' })
  phone?: string | null;
}

export const SessionConnection = Connection(Session);
