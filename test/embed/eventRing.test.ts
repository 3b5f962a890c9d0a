import { describe, expect, it } from 'vitest';

import { EventRing } from '../../src/embed/eventRing.js';

function drainAll(reader: ReturnType<EventRing['reader']>): [number, number][] {
  const out: [number, number][] = [];
  reader.drain((s, v) => out.push([s, v]));
  return out;
}

describe('EventRing', () => {
  it('hands published events to each reader once, in order', () => {
    const ring = EventRing.create(8, true);
    expect(ring.shared).toBe(true);
    const a = ring.reader();
    ring.push(1, 10);
    ring.push(1, 11);
    expect(drainAll(a)).toEqual([]); // not published yet
    ring.publish();
    const b = ring.reader(); // starts after what is already published
    ring.push(2, 12);
    ring.publish();
    expect(a.available).toBe(3);
    expect(drainAll(a)).toEqual([[1, 10], [1, 11], [2, 12]]);
    expect(drainAll(a)).toEqual([]);
    expect(drainAll(b)).toEqual([[2, 12]]);
  });

  it('wraps around the buffer', () => {
    const ring = EventRing.create(4, false);
    expect(ring.shared).toBe(false);
    const r = ring.reader();
    const seen: number[] = [];
    for (let k = 0; k < 11; k++) {
      ring.push(k, k * 0.5);
      ring.publish();
      if (k % 3 === 2) r.drain((s) => seen.push(s));
    }
    r.drain((s) => seen.push(s));
    expect(seen).toEqual([...Array(11).keys()]);
    expect(r.dropped).toBe(0);
  });

  it('drops what a slow reader missed and says how much', () => {
    const ring = EventRing.create(4);
    const r = ring.reader();
    for (let k = 0; k < 10; k++) ring.push(k, k);
    ring.publish();
    const got = drainAll(r);
    expect(got.map(([s]) => s)).toEqual([6, 7, 8, 9]);
    expect(r.dropped).toBe(6);
  });

  it('drops entries the writer overwrote with events it has pushed but not published yet', () => {
    const ring = EventRing.create(8, true);
    const reader = ring.reader();
    for (let k = 0; k < 8; k++) ring.push(1, k);
    ring.publish();
    // The next step's first three spikes land in slots 0-2 before that step is published.
    for (let k = 0; k < 3; k++) ring.push(2, 100 + k);
    const out: [number, number][] = [];
    const { count, dropped } = reader.drain((s, v) => out.push([s, v]));
    expect(out).toEqual([3, 4, 5, 6, 7].map((v) => [1, v]));
    expect([count, dropped]).toEqual([5, 3]);
    ring.publish();
    expect(drainAll(reader)).toEqual([[2, 100], [2, 101], [2, 102]]);
  });

  it('a callback that throws loses the rest of its batch, not the next drains', () => {
    const ring = EventRing.create(8, true);
    const reader = ring.reader();
    for (let k = 0; k < 3; k++) ring.push(1, k);
    ring.publish();
    expect(() =>
      reader.drain(() => {
        throw new Error('draw failed');
      }),
    ).toThrow(/draw failed/);
    ring.push(2, 9);
    ring.publish();
    expect(drainAll(reader)).toEqual([[2, 9]]);
  });

  it('refuses a drain from inside its own callback (it would overwrite the events being handed out)', () => {
    const ring = EventRing.create(8, true);
    const reader = ring.reader();
    ring.push(1, 1);
    ring.publish();
    expect(() => reader.drain(() => reader.drain(() => undefined))).toThrow(/called from its own callback; use a second reader/);
    ring.push(2, 2);
    ring.publish();
    expect(drainAll(reader)).toEqual([[2, 2]]); // usable again afterwards
  });

  it('keeps counting across the int32 wrap of its cursor', () => {
    const ring = EventRing.create(4);
    // Put the cursor just below 2^31 by writing through the shared header, as a long run would.
    new Int32Array(ring.buffer, 0, 1)[0] = 2 ** 31 - 2;
    const r = new EventRing(ring.buffer).reader();
    const writer = new EventRing(ring.buffer);
    for (let k = 0; k < 5; k++) writer.push(k, -k);
    writer.publish();
    expect(drainAll(r)).toEqual([[1, -1], [2, -2], [3, -3], [4, -4]]);
    expect(r.dropped).toBe(1);
  });

  it('is shared between two views of the same buffer (the worker and the page)', () => {
    const page = EventRing.create(16, true);
    const worker = new EventRing(page.buffer);
    const r = page.reader();
    worker.push(7, 123.5);
    worker.publish();
    expect(drainAll(r)).toEqual([[7, 123.5]]);
  });

  it('refuses capacities that are not powers of two and foreign buffers', () => {
    expect(() => EventRing.create(6)).toThrow(/power of two/);
    expect(() => new EventRing(new ArrayBuffer(10))).toThrow(/not a ring/);
  });
});
