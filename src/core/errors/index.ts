export * from './domain-error';
export { formatError, isInternalError, stripSuggestions } from './format-error';
