import { Check, Entity, Enum, ManyToOne, Property } from '@mikro-orm/core';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { TenantEntity } from '../../core/orm/base-entities';
import { DateScalar, DecimalScalar } from '../../schema/scalars';

export enum SurveyStatus {
  DRAFT = 'draft',
  OPEN = 'open',
  CLOSED = 'closed',
}
registerEnumType(SurveyStatus, { name: 'SurveyStatus' });

export enum QuestionType {
  TEXT = 'text',
  NUMBER = 'number',
  SINGLE_CHOICE = 'single_choice',
  MULTIPLE_CHOICE = 'multiple_choice',
  RATING = 'rating',
  DATE = 'date',
  BOOLEAN = 'boolean',
}
registerEnumType(QuestionType, { name: 'QuestionType' });

/** One question of a survey (stored in the survey's `questions` document). */
@ObjectType({ simpleResolvers: true })
export class SurveyQuestion {
  @Field({ description: 'Key of the question, unique in its survey; answers are keyed by it' }) key!: string;
  @Field() label!: string;
  @Field(() => QuestionType) type!: QuestionType;
  @Field() required!: boolean;
  @Field(() => [String], { nullable: true, description: 'Choices of single_choice and multiple_choice questions' }) options?: string[] | null;
}

/** A survey of a project: drafted, opened for responses, closed. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_survey' })
export class Survey extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Project', mapToPk: true, fieldName: 'project_id', deleteRule: 'cascade', index: true })
  projectId!: string;

  @Field()
  @Property({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  description?: string | null;

  @Field(() => SurveyStatus)
  @Enum({ items: () => SurveyStatus, nativeEnumName: 'csr_survey_status' })
  status: SurveyStatus = SurveyStatus.DRAFT;

  @Field(() => [SurveyQuestion])
  @Property({ type: 'jsonb' })
  questions: SurveyQuestion[] = [];

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'created_by_id', nullable: true, deleteRule: 'set null' })
  createdBy?: string | null;
}

/** One response to an open survey; answers keyed by question key, checked against the question types. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_survey_response' })
export class SurveyResponse extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Survey', mapToPk: true, fieldName: 'survey_id', deleteRule: 'cascade', index: true })
  surveyId!: string;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'respondent_id', nullable: true, deleteRule: 'set null' })
  respondentId?: string | null;

  @Field(() => GraphQLJSONObject, { description: 'Answers by question key' })
  @Property({ type: 'jsonb' })
  answers!: Record<string, unknown>;
}

/** A key performance indicator of a project: baseline, target and the current (latest measured) value. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_kpi' })
@Check({ name: 'csr_kpi_target_check', expression: 'target <> baseline' })
export class Kpi extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Project', mapToPk: true, fieldName: 'project_id', deleteRule: 'cascade', index: true })
  projectId!: string;

  @Field()
  @Property({ type: 'text' })
  name!: string;

  @Field({ description: 'Unit of the values, e.g. "students", "%", "km"' })
  @Property({ type: 'text' })
  unit!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 4, runtimeType: 'string' })
  baseline!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 4, runtimeType: 'string' })
  target!: string;

  @Field(() => DecimalScalar, { description: 'The latest measurement (the baseline until one is recorded)' })
  @Property({ type: 'decimal', precision: 18, scale: 4, runtimeType: 'string' })
  current!: string;
}

/** A measured value of a KPI on a date. */
@ObjectType({ simpleResolvers: true })
@Entity({ tableName: 'csr_kpi_measurement' })
export class KpiMeasurement extends TenantEntity {
  @Field(() => ID)
  @ManyToOne({ entity: 'Kpi', mapToPk: true, fieldName: 'kpi_id', deleteRule: 'cascade', index: true })
  kpiId!: string;

  @Field(() => DecimalScalar)
  @Property({ type: 'decimal', precision: 18, scale: 4, runtimeType: 'string' })
  value!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date', runtimeType: 'string' })
  measuredOn!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @Field(() => ID, { nullable: true })
  @ManyToOne({ entity: 'User', mapToPk: true, fieldName: 'recorded_by_id', nullable: true, deleteRule: 'set null' })
  recordedBy?: string | null;
}
