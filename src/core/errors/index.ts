export * from './domain-error';
export { formatError, stripSuggestions } from './format-error';
export { assertId, isUuid } from './ids';
