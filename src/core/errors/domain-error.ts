/**
 * Errors that reach clients. Every expected failure is a DomainError with a stable
 * `extensions.code` (and the input field at fault, when there is one); anything else
 * is masked as INTERNAL_SERVER_ERROR by formatError.
 */
import { GraphQLError } from 'graphql';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'RATE_LIMITED'
  | 'ACCOUNT_LOCKED'
  | 'INTERNAL_SERVER_ERROR';

export class DomainError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
    extra: { field?: string; [key: string]: unknown } = {},
  ) {
    super(message, { extensions: { code, ...extra } });
  }
}

export const unauthenticated = (message = 'Authentication required') => new DomainError('UNAUTHENTICATED', message);
export const forbidden = (message = 'You do not have permission to do this') => new DomainError('FORBIDDEN', message);
export const notFound = (resource: string, field?: string) =>
  new DomainError('NOT_FOUND', `${resource} not found`, field ? { field } : {});
export const badInput = (field: string, message: string) => new DomainError('BAD_USER_INPUT', message, { field });
export const conflict = (message: string, field?: string) =>
  new DomainError('CONFLICT', message, field ? { field } : {});
