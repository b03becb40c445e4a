/**
 * The one place errors are shaped for clients: domain errors and GraphQL's own validation
 * errors pass (without "Did you mean" hints, which leak the schema); input validation errors
 * name the field; everything else becomes a bare INTERNAL_SERVER_ERROR. Masked errors are logged
 * with their stack through the request's logger (see isInternalError and the observability plugin).
 */
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { DriverException, UniqueConstraintViolationException } from '@mikro-orm/core';
import { DatabaseError } from 'pg';
import { DomainError } from './domain-error';

const PASS_THROUGH_CODES = new Set([
  'GRAPHQL_VALIDATION_FAILED',
  'GRAPHQL_PARSE_FAILED',
  'BAD_USER_INPUT',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
]);

const DOMAIN_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'RATE_LIMITED']);

export function stripSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '').trim();
}

function firstViolation(errors: ValidationError[], prefix = ''): { field: string; message: string } | undefined {
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    if (e.constraints && Object.keys(e.constraints).length > 0) {
      return { field: path, message: Object.values(e.constraints)[0] };
    }
    const nested = firstViolation(e.children ?? [], path);
    if (nested) return nested;
  }
  return undefined;
}

export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = error instanceof GraphQLError ? (error.originalError ?? error) : error;
  const path = formatted.path;
  const locations = formatted.locations;

  if (original instanceof ArgumentValidationError) {
    const v = firstViolation(original.extensions.validationErrors as ValidationError[]);
    return {
      message: v ? `Invalid input: ${v.message}` : 'Invalid input',
      locations,
      path,
      extensions: { code: 'BAD_USER_INPUT', field: v?.field },
    };
  }
  if (original instanceof DomainError) {
    // `http` (status, headers) is for Apollo Server, not for clients.
    const { http: _http, ...extensions } = original.extensions;
    return { message: original.message, locations, path, extensions };
  }
  // A malformed value that slipped past validation (e.g. a non-UUID id in a filter): the client's fault.
  if ((original instanceof DriverException || original instanceof DatabaseError) && original.code === '22P02') {
    return { message: 'Invalid input: a value is malformed', locations, path, extensions: { code: 'BAD_USER_INPUT' } };
  }
  // Two concurrent writers raced past a uniqueness check: the loser gets the answer the check would have given.
  if (original instanceof UniqueConstraintViolationException || (original instanceof DatabaseError && original.code === '23505')) {
    return { message: 'This conflicts with an existing record', locations, path, extensions: { code: 'CONFLICT' } };
  }
  const code = formatted.extensions?.code as string | undefined;
  // Raised while building the context (bad token): Apollo re-wraps it, keeping our code.
  if (code && DOMAIN_CODES.has(code) && error instanceof GraphQLError) {
    return { message: formatted.message.replace(/^Context creation failed: /, ''), extensions: { code } };
  }
  if (code && PASS_THROUGH_CODES.has(code)) {
    return { message: stripSuggestions(formatted.message), locations, path, extensions: { code } };
  }
  // Errors graphql-js raises itself while coercing variables carry no originalError.
  if (error instanceof GraphQLError && !error.originalError && !path) {
    return { message: stripSuggestions(formatted.message), locations, extensions: { code: 'BAD_USER_INPUT' } };
  }
  return { message: 'Internal server error', locations, path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Whether formatError masks this error as INTERNAL_SERVER_ERROR (then it must be logged). */
export function isInternalError(error: unknown): boolean {
  const formatted = error instanceof GraphQLError ? error.toJSON() : { message: String(error) };
  return formatError(formatted, error).extensions?.code === 'INTERNAL_SERVER_ERROR';
}
