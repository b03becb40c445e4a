export * from './domain-error';
export { formatError, stripSuggestions } from './format-error';
