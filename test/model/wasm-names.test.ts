/**
 * Generated WebAssembly functions carry a name (custom "name" section), so that profiles and
 * stack traces say which kernel or projection they are instead of `wasm-function[0]`.
 */
import { beforeEach, describe, expect, it } from 'vitest';

import { buildCoba } from '../../examples/networks/coba.js';
import { templateNetwork } from '../../src/api/network.js';
import { clear, compile, Izhikevich, PoissonPopulation, Population, Projection, setup } from '../../src/index.js';
import { functionModule, I32 } from '../../src/wasm/encode.js';

beforeEach(() => clear());

/** The function names of a module's "name" section (subsection 1), by function index. */
function functionNames(module: WebAssembly.Module): string[] {
  const sections = WebAssembly.Module.customSections(module, 'name');
  expect(sections).toHaveLength(1);
  const bytes = new Uint8Array(sections[0] as ArrayBuffer);
  let at = 0;
  const uleb = () => {
    let value = 0, shift = 0, byte: number;
    do {
      byte = bytes[at++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const names: string[] = [];
  while (at < bytes.length) {
    const id = uleb(), size = uleb(), end = at + size;
    if (id === 1) {
      for (let n = uleb(); n > 0; n--) {
        const index = uleb(), length = uleb();
        names[index] = new TextDecoder().decode(bytes.subarray(at, at + length));
        at += length;
      }
    }
    at = end;
  }
  return names;
}

describe('WebAssembly function names', () => {
  it('a module names its function (UTF-8), and a trap inside it shows the name in the stack', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    // (func (result i32) unreachable)
    const bytes = functionModule({ name: 'f', params: [], results: [I32], locals: [], body: [0x00], memory: { pages: 1, shared: false }, debugName: 'deliver Exc → Inh (exc)' });
    const module = new WebAssembly.Module(bytes);
    expect(functionNames(module)).toEqual(['deliver Exc → Inh (exc)']);
    const f = new WebAssembly.Instance(module, { env: { memory } }).exports['f'] as () => number;
    expect(() => f()).toThrow(WebAssembly.RuntimeError);
    try {
      f();
    } catch (e) {
      expect((e as Error).stack).toContain('deliver Exc → Inh (exc)');
    }
  });

  it('integrate kernels, deliveries, Poisson steps, normal draws and the clearing are named after their population, model and projection', () => {
    const seen: string[] = [];
    const Original = WebAssembly.Module;
    // Every module compiled during compile(), by the names it declares.
    const Recording = class extends Original {
      constructor(bytes: BufferSource) {
        super(bytes);
        // Imported functions (the normal draws' slow path) come first and have no name here.
        seen.push(...functionNames(this).filter((name) => name !== undefined));
      }
    };
    (WebAssembly as { Module: typeof WebAssembly.Module }).Module = Recording;
    try {
      setup({ dt: 0.1, seed: 1 });
      buildCoba(); // no instantaneous conductances: no clearing module
      const izh = new Population(8, Izhikevich({ noise: 5 }), { name: 'Izh' });
      new Projection(new PoissonPopulation(4, { rates: 10, name: 'Input' }), izh, 'exc').connectAllToAll({ weights: 1 });
      compile();
    } finally {
      (WebAssembly as { Module: typeof WebAssembly.Module }).Module = Original;
    }
    expect(seen.sort()).toEqual([
      'clear instantaneous conductances',
      'deliver Projection Exc -> Exc (exc)',
      'deliver Projection Exc -> Inh (exc)',
      'deliver Projection Inh -> Exc (inh)',
      'deliver Projection Inh -> Inh (inh)',
      'deliver Projection Input -> Izh (exc)',
      'input stage',
      'integrate Exc (COBA)',
      'integrate Inh (COBA)',
      'integrate Izh (Izhikevich)',
      'normal draws Izh (8)',
      'poisson step Input (4 sources)',
    ]);
    expect(templateNetwork().world.runtime!.projections).toHaveLength(5);
  });
});
