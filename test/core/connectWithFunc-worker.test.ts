/**
 * parallelRun workers re-run the user's module, and with it a connectWithFunc method: one drawing
 * from Math.random lists other synapses there, which the signature (hashing them number by
 * number) catches, as it catches a connection the main thread alone made.
 */
import { expect, it } from 'vitest';

import { parallelRun } from '../../src/index.js';
import { synapses } from '../fixtures/randomFunc.js';

const module = new URL('../fixtures/randomFunc.ts', import.meta.url);

it('a connectWithFunc method drawing from Math.random is refused in the worker, whose synapses differ', async () => {
  // A signal keeps the calling thread out: the worker runs the network.
  const err = (await parallelRun({ method: synapses, number: 1, module, maxWorkers: 1, signal: new AbortController().signal }).catch(
    (e: unknown) => e,
  )) as Error;
  expect(err).toBeInstanceOf(Error);
  expect(err.message).toMatch(
    /in the worker differ from the main thread's \(first difference: worker 'projection:2:0->1:exc:withFunc#[0-9a-f]{8}', main 'projection:2:0->1:exc:withFunc#[0-9a-f]{8}'\)/,
  );
});
