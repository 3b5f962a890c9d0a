import { describe, expect, it } from 'vitest';

import { SpikeworldError } from '../../src/errors.js';
import { deriveStreamState, randomMasterSeed } from '../../src/random/seed.js';
import { fillNormal, fillUniform } from '../../src/random/stream.js';
import { bytesOf, pearson, streamState } from './helpers.js';

describe('deriveStreamState', () => {
  it('is deterministic for the same master seed and path', () => {
    expect(bytesOf(streamState(7, 'net/3'))).toEqual(bytesOf(streamState(7, 'net/3')));
    expect(bytesOf(streamState('abc', 'net/0'))).toEqual(bytesOf(streamState('abc', 'net/0')));
  });

  it('gives different states for different seeds and paths', () => {
    const states = [streamState(7, 'net/0'), streamState(8, 'net/0'), streamState(7, 'net/1'), streamState('7x', 'net/0')];
    const keys = new Set(states.map((s) => bytesOf(s).toString('hex')));
    expect(keys.size).toBe(states.length);
  });

  it('writes only out[0..4) of a larger view (e.g. into shared memory)', () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const all = new Uint32Array(memory.buffer, 0, 12);
    all.fill(0xdeadbeef);
    deriveStreamState(1, 'net/0', new Uint32Array(memory.buffer, 16, 4));
    expect([...all.subarray(0, 4)]).toEqual([0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef]);
    expect([...all.subarray(4, 8)]).toEqual([...streamState(1, 'net/0')]);
    expect([...all.subarray(8, 12)]).toEqual([0xdeadbeef, 0xdeadbeef, 0xdeadbeef, 0xdeadbeef]);
  });

  it('never produces an all-zero state, and paths do not collide', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const s = streamState(i % 3, `net/${i}`);
      expect(s[0]! | s[1]! | s[2]! | s[3]!).not.toBe(0);
      seen.add(bytesOf(s).toString('hex'));
    }
    expect(seen.size).toBe(2000);
  });

  it('same seed gives byte-identical outputs; another path gives different ones', () => {
    const draw = (path: string): Float64Array => {
      const s = streamState(99, path);
      const out = new Float64Array(10_000);
      fillUniform(s, out.subarray(0, 5000), 5000, -1, 3);
      fillNormal(s, out.subarray(5000), 5000, 0, 1);
      return out;
    };
    expect(bytesOf(draw('net/0')).equals(bytesOf(draw('net/0')))).toBe(true);
    expect(bytesOf(draw('net/0')).equals(bytesOf(draw('net/1')))).toBe(false);
  });

  it('adjacent paths are uncorrelated (|corr| < 0.01 over 1e5 draws)', () => {
    for (const master of [0, 1, 42, 'spikeworld']) {
      const x = new Float64Array(100_000);
      const y = new Float64Array(100_000);
      fillUniform(streamState(master, 'net/0'), x, x.length, 0, 1);
      fillUniform(streamState(master, 'net/1'), y, y.length, 0, 1);
      expect(Math.abs(pearson(x, y))).toBeLessThan(0.01);
    }
  });

  it('rejects a short state array and a non-finite master seed', () => {
    expect(() => deriveStreamState(1, 'net/0', new Uint32Array(3))).toThrow(SpikeworldError);
    expect(() => deriveStreamState(1, 'net/0', new Uint32Array(3))).toThrow(/4 uint32 words, got 3/);
    expect(() => deriveStreamState(NaN, 'net/0', new Uint32Array(4))).toThrow(/master seed.*NaN/);
  });
});

describe('randomMasterSeed', () => {
  it('returns distinct uint32 values', () => {
    const seeds = Array.from({ length: 100 }, () => randomMasterSeed());
    for (const s of seeds) {
      expect(Number.isInteger(s)).toBe(true);
      expect(s).toBeGreaterThanOrEqual(0);
      expect(s).toBeLessThan(2 ** 32);
    }
    expect(new Set(seeds).size).toBe(seeds.length);
  });
});
