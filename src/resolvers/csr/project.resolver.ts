import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Subscription } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import type { FilterInput, OrderSpec } from '../../core/orm/connection';
import { Partner } from '../../entities/csr/partner.entity';
import { Milestone, Project, ProjectStatus } from '../../entities/csr/project.entity';
import * as csr from '../../services/csr';
import type { MilestoneUpdatedEvent } from '../../services/csr';
import {
  CreateMilestoneInput, CreateProjectInput, MilestoneConnection, MilestonesArgs, MilestoneUpdate, ProjectConnection, ProjectsArgs,
  UpdateMilestoneInput, UpdateProjectInput,
} from './csr.types';
import { Parent } from '../../schema/common';
import { Loads, Selected, SelectedNodes, type FieldSelection } from '../../schema/selection';
import type { Loaded } from '../../core/orm/loaders';

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => Project, { description: 'A CSR project (recipients: their partner’s only)' })
  project(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Project> {
    return csr.getProject(ctx, id);
  }

  @Query(() => ProjectConnection, { description: 'CSR projects, newest first unless ordered otherwise (recipients: their partner’s only)' })
  projects(@Args() args: ProjectsArgs, @SelectedNodes(Project) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listProjects(ctx, { ...args, filter: args.filter as FilterInput | undefined, orderBy: args.orderBy as OrderSpec[] | undefined, select });
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The recipient partner' })
  @Loads(() => Partner, { byId: 'partnerId' })
  partner(@Parent('partnerId') project: Project, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext): Loaded<Partner | null> {
    return csr.partnerById(ctx, project.partnerId, fields);
  }

  @FieldResolver(() => [Milestone])
  @Loads(() => Milestone, { manyBy: 'projectId' })
  milestones(@Parent('id') project: Project, @Selected() fields: FieldSelection, @Ctx() ctx: RequestContext): Loaded<Milestone[]> {
    return csr.projectMilestones(ctx, project.id, fields);
  }

  @Mutation(() => Project, { description: 'Creates a project in planning' })
  createProject(@Arg('input') input: CreateProjectInput, @Ctx() ctx: RequestContext): Promise<Project> {
    return csr.createProject(ctx, input);
  }

  @Mutation(() => Project)
  updateProject(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateProjectInput, @Ctx() ctx: RequestContext): Promise<Project> {
    return csr.updateProject(ctx, id, input);
  }

  @Mutation(() => Project, { description: 'planning → active | cancelled; active → on_hold | completed | cancelled; on_hold → active | cancelled' })
  changeProjectStatus(@Arg('id', () => ID) id: string, @Arg('status', () => ProjectStatus) status: ProjectStatus, @Ctx() ctx: RequestContext): Promise<Project> {
    return csr.changeProjectStatus(ctx, id, status);
  }
}

@Resolver(() => Milestone)
export class MilestoneResolver {
  @Query(() => Milestone)
  milestone(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Milestone> {
    return csr.getMilestone(ctx, id);
  }

  @Query(() => MilestoneConnection, { description: 'Milestones, soonest due first unless ordered otherwise' })
  milestones(@Args() args: MilestonesArgs, @SelectedNodes(Milestone) select: FieldSelection, @Ctx() ctx: RequestContext) {
    return csr.listMilestones(ctx, { ...args, filter: args.filter as FilterInput | undefined, orderBy: args.orderBy as OrderSpec[] | undefined, select });
  }

  @Mutation(() => Milestone)
  createMilestone(@Arg('input') input: CreateMilestoneInput, @Ctx() ctx: RequestContext): Promise<Milestone> {
    const { projectId, ...rest } = input;
    return csr.createMilestone(ctx, projectId, rest);
  }

  @Mutation(() => Milestone)
  updateMilestone(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateMilestoneInput, @Ctx() ctx: RequestContext): Promise<Milestone> {
    return csr.updateMilestone(ctx, id, input);
  }

  @Mutation(() => Milestone, { description: 'Records progress: 0 pending, 1–99 in progress, 100 completed' })
  updateMilestoneProgress(
    @Arg('id', () => ID) id: string,
    @Arg('completionPercentage', () => Int) completionPercentage: number,
    @Arg('notes', () => String, { nullable: true }) notes: string | null | undefined,
    @Ctx() ctx: RequestContext,
  ): Promise<Milestone> {
    return csr.updateMilestoneProgress(ctx, id, completionPercentage, notes);
  }

  @Mutation(() => Milestone, { description: 'Approves a milestone at 100 % completion; records who and when' })
  approveMilestone(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Milestone> {
    return csr.approveMilestone(ctx, id);
  }

  @Subscription(() => MilestoneUpdate, {
    description: 'Milestone changes in the organization (recipients: their partner’s projects only), optionally of one project',
    subscribe: ({ args, context }) => csr.subscribeMilestoneUpdated(context as RequestContext, (args as { projectId?: string }).projectId),
  })
  milestoneUpdated(@Arg('projectId', () => ID, { nullable: true }) _projectId: string | null, @Parent() event: MilestoneUpdatedEvent): MilestoneUpdate {
    return { projectId: event.projectId, milestoneId: event.milestoneId, status: event.status, completionPercentage: event.completionPercentage } as MilestoneUpdate;
  }
}
