/**
 * RowBuffer: a monitor's recorded rows in chunks that are never copied to grow (one doubling
 * buffer stalled a step for seconds on large recordings); rows come back in order, whole.
 */
import { expect, it } from 'vitest';

import { IntBuffer, RowBuffer } from '../../components/recorder.js';

it('rows across many chunks come back in order as fresh arrays (which empties the buffer); clear() starts over', () => {
  const width = 3;
  const buffer = new RowBuffer(width);
  const rows = 1000; // chunks of 64, 128, 256, 512 rows and a partly filled one
  for (let r = 0; r < rows; r++) buffer.append(Float64Array.of(r, r + 0.5, -r));
  expect(buffer.rows).toBe(rows);
  const all = buffer.takeRows();
  expect(all).toHaveLength(rows);
  for (const r of [0, 63, 64, 191, 192, 999]) expect([...all[r]!]).toEqual([r, r + 0.5, -r]);
  expect([buffer.rows, buffer.takeRows().length]).toEqual([0, 0]);
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

it('share() hands over the chunks themselves, on shared memory; adopt() continues them where the sharer stopped', () => {
  const buffer = new RowBuffer(2);
  for (let r = 0; r < 100; r++) buffer.append([r, -r]); // a full chunk of 64 and 36 rows of the next
  const shared = buffer.share();
  expect([shared.rows, shared.used, shared.chunks.length]).toEqual([100, 36, 2]);
  expect(shared.chunks.every((c) => c.buffer instanceof SharedArrayBuffer)).toBe(true);
  const other = new RowBuffer(2);
  other.adopt(shared);
  for (let r = 100; r < 300; r++) other.append([r, -r]); // into the shared chunk's free rows, then new chunks
  expect(shared.chunks[1]![2 * 36]).toBe(100); // written in place: no copy
  buffer.adopt(other.share());
  const rows = buffer.takeRows();
  expect(rows.map((row) => row[0])).toEqual(Array.from({ length: 300 }, (_, r) => r));
  expect(rows[0]!.buffer instanceof SharedArrayBuffer).toBe(false); // what users get is their own
  expect(other.rows).toBe(300); // the adopting buffer's list is its own: takeRows() elsewhere leaves it
  const ints = new IntBuffer();
  for (let k = 0; k < 300; k++) ints.push(k); // doubles once, onto shared memory again
  const copy = new IntBuffer();
  copy.adopt(ints.share());
  copy.push(300);
  expect([copy.length, copy.data[300], copy.data === ints.data, ints.data.buffer instanceof SharedArrayBuffer]).toEqual([301, 300, true, true]);
});

it("a buffer that adopted another's values and is emptied (a method's get() in a worker) starts a new array: the sharer's values stay", () => {
  // The caller's spike steps before a networks-mode parallelRun; the worker adopts them, its method
  // takes the recording (get() empties it) and records on. If the call is aborted, the caller keeps
  // its recording as it was before the call: those values must not have been written over.
  const caller = new IntBuffer();
  for (let k = 0; k < 10; k++) caller.push(100 + k);
  const worker = new IntBuffer();
  worker.adopt(caller.share());
  worker.clear();
  for (let k = 0; k < 5; k++) worker.push(900 + k);
  expect([...caller.data.subarray(0, caller.length)]).toEqual(Array.from({ length: 10 }, (_, k) => 100 + k));
  expect([...worker.data.subarray(0, worker.length)]).toEqual([900, 901, 902, 903, 904]);
  // The caller's own clear() after a call lets go of what it shared, too.
  caller.clear();
  caller.push(1);
  expect(worker.data[0]).toBe(900);
  // A buffer never shared keeps its array (no allocation per get()).
  const own = new IntBuffer();
  own.push(1);
  const before = own.data;
  own.clear();
  own.push(2);
  expect(own.data).toBe(before);
});
