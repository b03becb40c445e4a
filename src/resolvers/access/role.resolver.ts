import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../core/context/request-context';
import { Role } from '../../entities/access/role.entity';
import * as access from '../../services/access';
import { CreateRoleInput, PermissionDefinition, UpdateRoleInput } from './access.types';

@Resolver()
export class RoleResolver {
  @Query(() => [Role], { description: 'Roles of the caller’s organization, system roles first' })
  roles(@Ctx() ctx: RequestContext): Promise<Role[]> {
    return access.listRoles(ctx);
  }

  @Query(() => [PermissionDefinition])
  permissionCatalog(): PermissionDefinition[] {
    return access.permissionCatalog().map((p) => ({ key: p.key, description: p.description, ownable: Boolean(p.ownable) }));
  }

  @Mutation(() => Role, { description: 'A custom role from catalog permissions' })
  createRole(@Arg('input') input: CreateRoleInput, @Ctx() ctx: RequestContext): Promise<Role> {
    return access.createRole(ctx, input);
  }

  @Mutation(() => Role, { description: 'Custom roles only' })
  updateRole(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateRoleInput, @Ctx() ctx: RequestContext): Promise<Role> {
    return access.updateRole(ctx, id, input);
  }

  @Mutation(() => Boolean, { description: 'Custom roles no member holds' })
  deleteRole(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return access.deleteRole(ctx, id);
  }
}
