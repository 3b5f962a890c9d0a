/**
 * Option objects are checked by name: a typo (`probabilty`) or ANNarchy's spelling
 * (`allow_self_connections`) would otherwise be ignored without a word and change the network.
 */
import { SpikeworldError } from '../errors.js';

/**
 * Throws naming the first option of `options` not in `names`, with our name for ANNarchy's where
 * there is one (snake_case to camelCase) or the name with its unit (`offset`: `offsetMs`).
 */
export function checkOptionNames(label: string, options: object, names: readonly string[]): void {
  for (const key of Object.keys(options)) {
    if (names.includes(key)) continue;
    const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const hint =
      camel !== key && names.includes(camel) ? ` (ANNarchy's ${key} is ${camel} here)` : names.includes(`${camel}Ms`) ? ` (did you mean ${camel}Ms?)` : '';
    throw new SpikeworldError(`${label}: unknown option '${key}'${hint}; the options are ${names.join(', ')}`);
  }
}

/** `options` as an object of known option names (undefined: none); null, `true` or a number are refused. */
export function optionsObject<T extends object>(label: string, options: T | undefined, names: readonly (keyof T & string)[]): T {
  if (options === undefined) return {} as T;
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new SpikeworldError(`${label}: options must be an object such as { ${names[0]}: … }, got ${String(options)}`);
  }
  checkOptionNames(label, options, names);
  return options;
}
