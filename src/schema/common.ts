/**
 * Types every domain shares: Relay connections, typed filter operators, ordering.
 * A list field is `things(filter:, orderBy:, first:, after:)` returning `ThingConnection`.
 */
import { ArgsType, ClassType, createParameterDecorator, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { IsOptional, Max, Min } from 'class-validator';
import { DateScalar, DecimalScalar } from './scalars';
import { declareParentReads } from './selection';

/**
 * The parent object of a field resolver, as it is (a plain row from a connection or loader, an
 * event payload). type-graphql's own @Root() builds an instance of the parameter's class from it:
 * for an entity that runs its constructor (a new id, dates) and the ORM's property setters, for
 * every row of a list. Use @Parent() instead (lint enforces it).
 *
 * `reads`: the parent's properties the resolver uses (`@Parent('customerId')`). A list page whose
 * client selects the field then reads those columns only (see selectedNodeProps); a field
 * resolver that does not say makes such a page read every column.
 */
export function Parent(...reads: string[]): ParameterDecorator {
  const decorate = createParameterDecorator(({ root }) => root);
  return (target, method, index) => {
    if (reads.length && method) declareParentReads(target.constructor, String(method), reads);
    decorate(target, method as string | symbol, index);
  };
}

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export enum OrderDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(OrderDirection, { name: 'OrderDirection' });

@ObjectType({ simpleResolvers: true })
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field() hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page size, at most ${MAX_PAGE_SIZE}` })
  @IsOptional()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page' })
  @IsOptional()
  after?: string;
}

/** What buildConnection returns; `count` runs only when a client asks for totalCount. */
export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  pageInfo: PageInfo;
  count: () => Promise<number>;
}

/** Declares `<Name>Connection` and `<Name>Edge` object types for a node type. */
export function Connection<T extends object>(node: ClassType<T>, name = node.name) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class Edge {
    @Field() cursor!: string;
    @Field(() => node) node!: T;
  }
  @ObjectType(`${name}Connection`, { simpleResolvers: true })
  class ConnectionType {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    count!: () => Promise<number>;

    @Field(() => Int, { description: 'Number of items matching the filter, all pages together' })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  return ConnectionType;
}

@InputType({ description: 'Operators on a text field' })
export class StringFilter {
  @Field({ nullable: true }) eq?: string;
  @Field({ nullable: true }) ne?: string;
  @Field(() => [String], { nullable: true }) in?: string[];
  @Field({ nullable: true, description: 'Case-insensitive substring' }) contains?: string;
  @Field({ nullable: true, description: 'Case-insensitive prefix' }) startsWith?: string;
  @Field({ nullable: true }) isNull?: boolean;
}

@InputType({ description: 'Operators on an id' })
export class IdFilter {
  @Field(() => ID, { nullable: true }) eq?: string;
  @Field(() => ID, { nullable: true }) ne?: string;
  @Field(() => [ID], { nullable: true }) in?: string[];
  @Field({ nullable: true }) isNull?: boolean;
}

@InputType({ description: 'Operators on a timestamp' })
export class DateTimeFilter {
  @Field({ nullable: true }) eq?: Date;
  @Field({ nullable: true }) lt?: Date;
  @Field({ nullable: true }) lte?: Date;
  @Field({ nullable: true }) gt?: Date;
  @Field({ nullable: true }) gte?: Date;
  @Field({ nullable: true }) isNull?: boolean;
}

@InputType({ description: 'Operators on a decimal amount' })
export class DecimalFilter {
  @Field(() => DecimalScalar, { nullable: true }) eq?: string;
  @Field(() => DecimalScalar, { nullable: true }) lt?: string;
  @Field(() => DecimalScalar, { nullable: true }) lte?: string;
  @Field(() => DecimalScalar, { nullable: true }) gt?: string;
  @Field(() => DecimalScalar, { nullable: true }) gte?: string;
  @Field({ nullable: true }) isNull?: boolean;
}

@InputType({ description: 'Operators on a whole number' })
export class IntFilter {
  @Field(() => Int, { nullable: true }) eq?: number;
  @Field(() => Int, { nullable: true }) lt?: number;
  @Field(() => Int, { nullable: true }) lte?: number;
  @Field(() => Int, { nullable: true }) gt?: number;
  @Field(() => Int, { nullable: true }) gte?: number;
  @Field({ nullable: true }) isNull?: boolean;
}

@InputType({ description: 'Operators on a yes/no field' })
export class BooleanFilter {
  @Field({ nullable: true }) eq?: boolean;
  @Field({ nullable: true }) isNull?: boolean;
}

/** Declares `<EnumName>Filter` with eq / ne / in for a registered enum. */
export function EnumFilter<E extends Record<string, string>>(enumType: E, enumName: string) {
  @InputType(`${enumName}Filter`, { description: `Operators on ${enumName}` })
  class EnumFilterInput {
    @Field(() => enumType, { nullable: true }) eq?: E[keyof E];
    @Field(() => enumType, { nullable: true }) ne?: E[keyof E];
    @Field(() => [enumType], { nullable: true }) in?: E[keyof E][];
  }
  return EnumFilterInput;
}

@InputType({ description: 'Operators on a calendar date (YYYY-MM-DD)' })
export class CalendarDateFilter {
  @Field(() => DateScalar, { nullable: true }) eq?: string;
  @Field(() => DateScalar, { nullable: true }) lt?: string;
  @Field(() => DateScalar, { nullable: true }) lte?: string;
  @Field(() => DateScalar, { nullable: true }) gt?: string;
  @Field(() => DateScalar, { nullable: true }) gte?: string;
  @Field({ nullable: true }) isNull?: boolean;
}
