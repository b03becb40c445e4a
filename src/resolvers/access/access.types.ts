import { Field, InputType, ObjectType } from 'type-graphql';
import { ArrayMaxSize, IsOptional, Length, Matches, MaxLength } from 'class-validator';

@ObjectType({ simpleResolvers: true, description: 'A permission of the catalog; roles hold them as `resource:action` or `resource:action:own`' })
export class PermissionDefinition {
  @Field() key!: string;
  @Field() description!: string;
  @Field({ description: 'Whether the `:own` scope exists (records tied to the caller)' }) ownable!: boolean;
}

@InputType()
export class CreateRoleInput {
  @Field() @Matches(/^[a-z][a-z0-9_]{1,49}$/, { message: 'key must be 2-50 lowercase letters, digits or underscores' }) key!: string;
  @Field() @Length(1, 100) name!: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) description?: string | null;
  @Field(() => [String]) @ArrayMaxSize(500) permissions!: string[];
}

@InputType()
export class UpdateRoleInput {
  @Field({ nullable: true }) @IsOptional() @Length(1, 100) name?: string;
  @Field(() => String, { nullable: true }) @IsOptional() @MaxLength(500) description?: string | null;
  @Field(() => [String], { nullable: true }) @IsOptional() @ArrayMaxSize(500) permissions?: string[];
}
