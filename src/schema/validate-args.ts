/**
 * Argument validation (type-graphql's `validateFn`): class-validator on args and input classes,
 * with the options type-graphql's own validation used (missing properties skipped, unknown values
 * allowed) and the same ArgumentValidationError, which formatError turns into BAD_USER_INPUT. Two
 * differences, both for the cost of every request: class-validator is imported once (type-graphql
 * imports it anew on each call, through Node's module resolution), and a class that carries no
 * validation rule (most list arguments) is not handed to class-validator at all: it would find
 * nothing to check.
 */
import { getMetadataStorage, validateOrReject, type ValidationError, type ValidatorOptions } from 'class-validator';
import { ArgumentValidationError, type ValidatorFn } from 'type-graphql';

const OPTIONS: ValidatorOptions = {
  skipMissingProperties: true,
  forbidUnknownValues: false,
  validationError: { target: false, value: false },
};

const carriesRules = new WeakMap<object, boolean>();

/** Whether class-validator has rules for the class (or a class it extends); nested inputs need @ValidateNested on it. */
function hasRules(value: object): boolean {
  const type = value.constructor;
  let rules = carriesRules.get(type);
  if (rules === undefined) {
    rules = getMetadataStorage().getTargetValidationMetadatas(type, '', false, false).length > 0;
    carriesRules.set(type, rules);
  }
  return rules;
}

export const validateArgs: ValidatorFn = async (value: unknown) => {
  const objects = (Array.isArray(value) ? value : [value]).filter((v): v is object => v !== null && typeof v === 'object' && hasRules(v));
  try {
    await Promise.all(objects.map((v) => validateOrReject(v, OPTIONS)));
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
};
