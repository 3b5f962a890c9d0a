/** The wire format of values through Redis: exact round trips, typed arrays as raw bytes. */
import { describe, expect, it } from 'vitest';

import { decode, decodeText, encode, encodeText } from '../../src/distributed/codec.js';
import { portableModule } from '../../src/distributed/common.js';

describe('codec', () => {
  it('round-trips what structured clone would, typed arrays with their type', () => {
    const value = {
      t: new Float64Array([0.1, -0, NaN, Infinity, 1e-300]),
      n: new Int32Array([1, -2, 3]),
      small: [new Uint8Array([1, 2, 3]), new Float32Array([1.5]), new BigInt64Array([-5n]), new Uint8ClampedArray([255])],
      view: new Float64Array(new Float64Array([1, 2, 3, 4]).buffer, 8, 2),
      buf: new Uint16Array([7, 8]).buffer,
      nums: [NaN, -0, Infinity, -Infinity, 2.5],
      undef: undefined,
      nested: { a: [1, 'x', null, true, { deep: new Int16Array([4]) }], big: 12345678901234567890n, when: new Date(5) },
      map: new Map<unknown, unknown>([['k', new Float64Array([1])], [2, 'two']]),
      set: new Set([1, 'a']),
      $sw: 'an object with the tag key',
      err: new RangeError('bad'),
    };
    const back = decode(encode(value)) as typeof value;
    expect(back).toEqual(value);
    expect(back.t).toBeInstanceOf(Float64Array);
    expect(Object.is(back.t[1], -0)).toBe(true);
    expect(Object.is(back.nums[1], -0)).toBe(true);
    expect(back.view).toBeInstanceOf(Float64Array);
    expect([...back.view]).toEqual([2, 3]);
    expect('undef' in back).toBe(true);
    expect(back.err).toBeInstanceOf(Error);
    expect(back.err.name).toBe('RangeError');
    expect(decodeText(encodeText(value))).toEqual(value);
    expect(decode(encode(Buffer.from([1, 2])))).toEqual(new Uint8Array([1, 2]));
    expect(decode(encode(undefined))).toBeUndefined();
  });

  it('keeps RegExps and the holes of sparse arrays, as structured clone does', () => {
    // eslint-disable-next-line no-sparse-arrays
    const value = { re: /a+b/giu, sparse: [1, , 3], tagged: [{ $sw: 'hole' }] };
    const back = decode(encode(value)) as typeof value;
    expect(back).toEqual(structuredClone(value));
    expect(back.re).toBeInstanceOf(RegExp);
    expect(back.re.flags).toBe('giu');
    expect(1 in back.sparse).toBe(false);
    expect(back.sparse).toHaveLength(3);
    // A user's object with the tag key is not taken for a hole.
    expect(back.tagged).toEqual([{ $sw: 'hole' }]);
  });

  it('sends typed arrays as bytes, not number lists', () => {
    const big = new Float64Array(10_000).map((_, i) => Math.sin(i));
    const bytes = encode({ big });
    expect(bytes.byteLength).toBeLessThan(big.byteLength + 200);
    expect(bytes.byteLength).toBeLessThan(JSON.stringify([...big]).length / 2);
  });

  it('refuses functions and cycles with the path', () => {
    expect(() => encode({ f: () => 1 })).toThrow(/the value\.f .* function/);
    const a: Record<string, unknown> = {};
    a['self'] = a;
    expect(() => encode(a)).toThrow(/cycle/);
  });

  it('sends modules as paths relative to the project root', () => {
    expect(portableModule('file:///repo/test/fixtures/x.ts', '/repo')).toEqual({ relative: 'test/fixtures/x.ts' });
    expect(portableModule('https://example.org/m.js', '/repo')).toEqual({ url: 'https://example.org/m.js' });
    expect(() => portableModule('file:///elsewhere/x.ts', '/repo')).toThrow(/outside the project root/);
  });
});
