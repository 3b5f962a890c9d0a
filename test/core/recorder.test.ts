/**
 * RowBuffer: a monitor's recorded rows in chunks that are never copied to grow (one doubling
 * buffer stalled a step for seconds on large recordings); rows come back in order, whole.
 */
import { expect, it } from 'vitest';

import { RowBuffer } from '../../components/recorder.js';

it('rows across many chunks come back in order, as one flat array and as fresh arrays (which empties the buffer); clear() starts over', () => {
  const width = 3;
  const buffer = new RowBuffer(width);
  const rows = 1000; // chunks of 64, 128, 256, 512 rows and a partly filled one
  for (let r = 0; r < rows; r++) buffer.append(Float64Array.of(r, r + 0.5, -r));
  expect(buffer.rows).toBe(rows);
  const flat = buffer.flat();
  expect(flat).toHaveLength(rows * width);
  expect([...flat.subarray(3 * 700, 3 * 701)]).toEqual([700, 700.5, -700]);
  const all = buffer.takeRows();
  expect(all).toHaveLength(rows);
  for (const r of [0, 63, 64, 191, 192, 999]) expect([...all[r]!]).toEqual([r, r + 0.5, -r]);
  expect([buffer.rows, buffer.takeRows().length, buffer.flat().length]).toEqual([0, 0, 0]);
  // Fresh arrays: the buffer's next rows do not show through them.
  buffer.append([7, 8, 9]);
  expect([...all[0]!]).toEqual([0, 0.5, -0]);
  buffer.append([1, 2, 3]);
  buffer.clear();
  buffer.append([4, 5, 6]);
  expect(buffer.takeRows().map((row) => [...row])).toEqual([[4, 5, 6]]);
});

it('a row wider than a chunk (over 4 MB) gets a chunk of its own per row', () => {
  const width = 600_000; // 4.8 MB per row
  const buffer = new RowBuffer(width);
  const row = new Float64Array(width);
  for (let r = 0; r < 3; r++) {
    row.fill(r);
    buffer.append(row);
  }
  const all = buffer.takeRows();
  expect(all.map((x) => [x.length, x[0], x[width - 1]])).toEqual([[width, 0, 0], [width, 1, 1], [width, 2, 2]]);
});
