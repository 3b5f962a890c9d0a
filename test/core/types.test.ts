/**
 * The types users write against (test/fixtures/typedUsage.ts), compiled with the project's
 * settings: what must type-check does, and every mistake marked `@ts-expect-error` is caught.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import ts from 'typescript';
import { expect, it } from 'vitest';

import {
  EIF_PARAMETERS, HH_COND_EXP_PARAMETERS, IF_COND_ALPHA_PARAMETERS, IF_COND_EXP_PARAMETERS, IF_CURR_ALPHA_PARAMETERS,
  IF_CURR_EXP_PARAMETERS, IZHIKEVICH_PARAMETERS,
} from '../../src/api/builtinState.js';
import {
  EIF_cond_alpha_isfa_ista,
  EIF_cond_exp_isfa_ista,
  HH_cond_exp,
  IF_cond_alpha,
  IF_cond_exp,
  IF_curr_alpha,
  IF_curr_exp,
  Izhikevich,
  Population,
} from '../../src/index.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

it('user code type-checks, and the mistakes in it are caught', () => {
  const config = ts.readConfigFile(resolve(root, 'tsconfig.json'), ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  // With the project's own declarations of untyped modules (src/**/*.d.ts).
  const ambient = fileNames.filter((f) => f.endsWith('.d.ts'));
  const program = ts.createProgram([resolve(root, 'test/fixtures/typedUsage.ts'), ...ambient], { ...options, noEmit: true });
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
  expect(diagnostics).toEqual([]);
}, 60_000);

it("the built-ins' override types list exactly their models' parameters", () => {
  const cases = [
    [Izhikevich, IZHIKEVICH_PARAMETERS],
    [IF_curr_exp, IF_CURR_EXP_PARAMETERS],
    [IF_cond_exp, IF_COND_EXP_PARAMETERS],
    [IF_curr_alpha, IF_CURR_ALPHA_PARAMETERS],
    [IF_cond_alpha, IF_COND_ALPHA_PARAMETERS],
    [EIF_cond_exp_isfa_ista, EIF_PARAMETERS],
    [EIF_cond_alpha_isfa_ista, EIF_PARAMETERS],
    [HH_cond_exp, HH_COND_EXP_PARAMETERS],
  ] as const;
  for (const [model, names] of cases) {
    const parameters = new Population(1, model).data.spec.parameters.map((p) => p.name);
    expect([...parameters].sort()).toEqual([...names].sort());
  }
});
