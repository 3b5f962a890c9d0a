import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { simulate as mainOnly } from '../fixtures/mainOnlyDeclarations.js';
import { simulate } from '../fixtures/workerMismatch.js';

const module = new URL('../fixtures/workerMismatch.ts', import.meta.url);

it('a module whose declarations differ in the worker is an error that says what differs and what to do', async () => {
  const err = (await parallelRun({ method: simulate, number: 1, module }).catch((e: unknown) => e)) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(/declarations of .*workerMismatch\.ts in the worker differ from the main thread's/);
  expect(err.message).toMatch(/population:0:pop0:20/);
  expect(err.message).toMatch(/population:0:pop0:10/);
  expect(err.message).toMatch(/if \(isMainThread\)/);
});

it('a module that declares nothing in the worker is an error that names both likely causes', async () => {
  const err = (await parallelRun({ method: mainOnly, number: 1, module: new URL('../fixtures/mainOnlyDeclarations.ts', import.meta.url) }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(/mainOnlyDeclarations\.ts declared nothing in the worker's copy of spikeworld \(file:.*worker\.ts\)/);
  expect(err.message).toMatch(/outside if \(isMainThread\)/);
  expect(err.message).toMatch(/another copy of spikeworld/);
});
