import { ArgsType, Field } from 'type-graphql';
import { IsEmail, Length, MaxLength, MinLength } from 'class-validator';

@ArgsType()
export class RequestPasswordResetArgs {
  @Field() @IsEmail({}, { message: 'email must be a valid email address' }) @MaxLength(320) email!: string;
}

@ArgsType()
export class ResetPasswordArgs {
  @Field({ description: 'The token from the reset email' }) @Length(1, 200) token!: string;
  @Field({ description: 'At least 8 characters with upper and lower case, a digit and a special character; not one of the last 5' })
  @MinLength(1)
  @MaxLength(256)
  newPassword!: string;
}

@ArgsType()
export class VerifyEmailArgs {
  @Field({ description: 'The token from the verification email' }) @Length(1, 200) token!: string;
}
