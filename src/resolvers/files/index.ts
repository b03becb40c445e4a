import { FileResolver } from './file.resolver';

export { filesRules } from './files.rules';
export { mountFileRoutes } from './file.routes';
export const filesResolvers = [FileResolver] as const;
