/**
 * Option objects are checked by name: a typo (`probabilty`) or ANNarchy's spelling
 * (`allow_self_connections`) would otherwise be ignored without a word and change the network.
 */
import { SpikeworldError } from '../errors.js';

/** Throws naming the first option of `options` not in `names`, with the camelCase name for a snake_case one. */
export function checkOptionNames(label: string, options: object, names: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint = camel !== key && names.includes(camel) ? ` (ANNarchy's ${key} is ${camel} here)` : '';
    throw new SpikeworldError(`${label}: unknown option '${key}'${hint}; the options are ${names.join(', ')}`);
  }
}
