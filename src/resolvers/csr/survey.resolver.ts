import { Arg, Args, Ctx, FieldResolver, Float, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput } from '../../core/orm/connection';
import { Kpi, KpiMeasurement, Survey, SurveyResponse, SurveyStatus } from '../../entities/csr/survey.entity';
import * as csr from '../../services/csr';
import {
  CreateKpiInput, CreateSurveyInput, CsrDashboard, KpiConnection, KpisArgs, RecordKpiMeasurementInput, SubmitSurveyResponseInput,
  SurveyConnection, SurveyResponseConnection, SurveysArgs,
} from './csr.types';
import { PageArgs, Parent } from '../../schema/common';
import { Loads, Selected, SelectedNodes, type FieldSelection } from '../../schema/selection';
import type { Loaded } from '../../core/orm/loaders';

@Resolver(() => Survey)
export class SurveyResolver {
  @Query(() => Survey)
  survey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Survey> {
    return csr.getSurvey(ctx, id);
  }

  @Query(() => SurveyConnection, { description: 'Surveys (recipients: of their partner’s projects only)' })
  surveys(@Args() args: SurveysArgs, @SelectedNodes(Survey) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listSurveys(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @FieldResolver(() => SurveyResponseConnection)
  responses(@Parent('id') survey: Survey, @Args() args: PageArgs, @Ctx() ctx: RequestContext) {
    return csr.listSurveyResponses(ctx, survey.id, args);
  }

  @Mutation(() => Survey, { description: 'Creates a draft survey of a project' })
  createSurvey(@Arg('input') input: CreateSurveyInput, @Ctx() ctx: RequestContext): Promise<Survey> {
    return csr.createSurvey(ctx, input);
  }

  @Mutation(() => Survey, { description: 'draft → open; open → closed; closed → open' })
  changeSurveyStatus(@Arg('id', () => ID) id: string, @Arg('status', () => SurveyStatus) status: SurveyStatus, @Ctx() ctx: RequestContext): Promise<Survey> {
    return csr.changeSurveyStatus(ctx, id, status);
  }

  @Mutation(() => SurveyResponse, { description: 'Answers an open survey; answers are checked against the question types' })
  submitSurveyResponse(@Arg('input') input: SubmitSurveyResponseInput, @Ctx() ctx: RequestContext): Promise<SurveyResponse> {
    return csr.submitSurveyResponse(ctx, input.surveyId, input.answers);
  }
}

@Resolver(() => Kpi)
export class KpiResolver {
  @Query(() => Kpi)
  kpi(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Kpi> {
    return csr.getKpi(ctx, id);
  }

  @Query(() => KpiConnection)
  kpis(@Args() args: KpisArgs, @SelectedNodes(Kpi) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listKpis(ctx, { ...args, filter: args.filter as FilterInput | undefined, select });
  }

  @FieldResolver(() => Float, { description: 'Progress from baseline toward target, 0–100' })
  progress(@Parent('baseline', 'target', 'current') kpi: Kpi): number {
    return csr.kpiProgress(kpi);
  }

  @FieldResolver(() => [KpiMeasurement])
  @Loads(() => KpiMeasurement, { manyBy: 'kpiId' })
  measurements(@Parent('id') kpi: Kpi, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext): Loaded<KpiMeasurement[]> {
    return csr.kpiMeasurements(ctx, kpi.id, fields);
  }

  @Mutation(() => Kpi)
  createKpi(@Arg('input') input: CreateKpiInput, @Ctx() ctx: RequestContext): Promise<Kpi> {
    return csr.createKpi(ctx, input);
  }

  @Mutation(() => KpiMeasurement, { description: 'Records a measurement; the KPI’s current value follows the latest one' })
  recordKpiMeasurement(@Arg('input') input: RecordKpiMeasurementInput, @Ctx() ctx: RequestContext): Promise<KpiMeasurement> {
    return csr.recordKpiMeasurement(ctx, input);
  }

  @Query(() => CsrDashboard, { description: 'CSR figures for the caller’s role(s); sections outside the caller’s permissions are null' })
  csrDashboard(@Arg('financialYear', () => Int, { nullable: true }) financialYear: number | null, @Ctx() ctx: RequestContext) {
    return csr.csrDashboard(ctx, { financialYear });
  }
}
