import { describe, expect, it } from 'vitest';

import { StepAccumulator } from '../../src/embed/accumulator.js';

/** Ticks at a steady frame interval; returns the steps of each frame. */
function run(acc: StepAccumulator, frames: number, intervalMs: number, start = 0): number[] {
  const out: number[] = [];
  for (let f = 0; f <= frames; f++) out.push(acc.tick(start + f * intervalMs));
  return out;
}
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

describe('StepAccumulator', () => {
  it('pays out exactly one step per dt of wall time at speed 1, whatever the frame rate', () => {
    expect(sum(run(new StepAccumulator({ dt: 1 }), 60, 1000 / 60))).toBe(1000);
    expect(sum(run(new StepAccumulator({ dt: 1 }), 144, 1000 / 144))).toBe(1000);
    expect(sum(run(new StepAccumulator({ dt: 0.1 }), 60, 1000 / 60))).toBe(10_000);
    // 16.67 ms frames at dt 1 give 16 or 17 steps, never 15 or 18.
    const steps = run(new StepAccumulator({ dt: 1 }), 600, 1000 / 60).slice(1);
    expect(new Set(steps)).toEqual(new Set([16, 17]));
  });

  it('gives nothing on the first frame (no elapsed time yet)', () => {
    expect(new StepAccumulator({ dt: 1 }).tick(12_345)).toBe(0);
  });

  it('scales simulated time by the speed, also below one step per frame', () => {
    expect(sum(run(new StepAccumulator({ dt: 1, speed: 2.5 }), 60, 1000 / 60))).toBe(2500);
    const slow = run(new StepAccumulator({ dt: 1, speed: 0.01 }), 600, 1000 / 60);
    expect(sum(slow)).toBe(100);
    expect(Math.max(...slow)).toBe(1);
    expect(sum(run(new StepAccumulator({ dt: 1, speed: 0 }), 60, 1000 / 60))).toBe(0);
  });

  it('takes a speed change from the next frame on', () => {
    const acc = new StepAccumulator({ dt: 1 });
    acc.tick(0);
    expect(acc.tick(100)).toBe(100);
    acc.speed = 3;
    expect(acc.tick(150)).toBe(150);
    expect(() => (acc.speed = -1)).toThrow(RangeError);
    expect(() => (acc.speed = Number.NaN)).toThrow(RangeError);
  });

  it('owes nothing for the time spent paused, and single-steps while paused', () => {
    const acc = new StepAccumulator({ dt: 1 });
    acc.tick(0);
    expect(acc.tick(50)).toBe(50);
    acc.pause();
    expect(acc.paused).toBe(true);
    expect(acc.tick(100)).toBe(0);
    acc.step();
    expect(acc.tick(116)).toBe(1);
    acc.step(3);
    expect(acc.tick(132)).toBe(3);
    expect(acc.tick(148)).toBe(0);
    acc.resume();
    // The first frame after resume starts the clock again: the 5 s paused are not owed.
    expect(acc.tick(5_000)).toBe(0);
    expect(acc.tick(5_020)).toBe(20);
  });

  it('caps the steps of a frame and drops the rest instead of owing it', () => {
    const acc = new StepAccumulator({ dt: 1, speed: 10, maxStepsPerFrame: 50 });
    acc.tick(0);
    expect(acc.tick(20)).toBe(50);
    expect(acc.droppedSteps).toBe(150);
    // Nothing is carried over: the next frame asks for its own 20 ms × 10 again, capped again.
    expect(acc.tick(25)).toBe(50);
    expect(acc.droppedSteps).toBe(150);
    // Steps asked for with step() are never dropped: past the cap they go out at later frames.
    acc.step(100);
    expect(acc.tick(25)).toBe(50);
    expect(acc.tick(25)).toBe(50);
    expect(acc.tick(25)).toBe(0);
    expect(acc.droppedSteps).toBe(150);
  });

  it("drops a frame's time whole while the consumer lags, keeps step()'s for later, and stops at its limit", () => {
    const acc = new StepAccumulator({ dt: 1, maxStepsPerFrame: 50 });
    acc.tick(0);
    acc.step(3);
    expect(acc.tick(20, { lagging: true })).toBe(0);
    expect([acc.lagDroppedSteps, acc.droppedSteps]).toEqual([20, 0]);
    expect(acc.tick(30)).toBe(3 + 10); // step()'s first, then the frame's time
    // limit: the steps the consumer has left; time past it is neither given nor dropped.
    expect(acc.tick(40, { limit: 4 })).toBe(4);
    expect(acc.droppedSteps).toBe(0);
    acc.step(3);
    expect(acc.tick(50, { limit: 4 })).toBe(4); // together: 3 of step()'s and 1 of the frame's
    expect(acc.droppedSteps).toBe(0); // held back by the limit, not dropped by the cap
    acc.step(5);
    acc.clearSteps();
    expect(acc.tick(50)).toBe(0);
  });

  it('counts a long gap between frames (hidden tab) as at most maxFrameMs', () => {
    const acc = new StepAccumulator({ dt: 1, maxFrameMs: 100, maxStepsPerFrame: 1000 });
    acc.tick(0);
    expect(acc.tick(60_000)).toBe(100);
    // A clock going backwards gives nothing rather than negative steps.
    expect(acc.tick(59_000)).toBe(0);
    expect(acc.tick(59_010)).toBe(10);
  });

  it('keeps the fraction of a step for the next frame (alpha)', () => {
    const acc = new StepAccumulator({ dt: 1 });
    acc.tick(0);
    expect(acc.tick(2.5)).toBe(2);
    expect(acc.alpha).toBeCloseTo(0.5, 12);
    expect(acc.tick(3)).toBe(1);
    expect(acc.alpha).toBeCloseTo(0, 12);
  });

  it('refuses bad options, at construction and when set later', () => {
    expect(() => new StepAccumulator({ dt: 0 })).toThrow(/dt/);
    expect(() => new StepAccumulator({ dt: 1, maxStepsPerFrame: 1.5 })).toThrow(/maxStepsPerFrame must be an integer ≥ 1, got 1.5/);
    expect(() => new StepAccumulator({ dt: 1, maxStepsPerFrame: 0 })).toThrow(/maxStepsPerFrame/);
    expect(() => new StepAccumulator({ dt: 1, maxFrameMs: Number.NaN })).toThrow(/maxFrameMs must be a finite number of ms ≥ 0, got NaN/);
    expect(() => new StepAccumulator({ dt: 1, maxFrameMs: -5 })).toThrow(/maxFrameMs/);
    expect(() => new StepAccumulator({ dt: 1 }).step(-1)).toThrow(/step/);
    const acc = new StepAccumulator({ dt: 1 });
    expect(() => (acc.maxStepsPerFrame = Number.NaN)).toThrow(/maxStepsPerFrame/);
    expect(() => (acc.maxFrameMs = -1)).toThrow(/maxFrameMs/);
    acc.maxFrameMs = 50;
    acc.tick(0);
    expect(acc.tick(1000)).toBe(50);
  });

  it('a timestamp that is not a finite number counts no time and does not poison the next frames', () => {
    const acc = new StepAccumulator({ dt: 1 });
    acc.tick(0);
    expect(acc.tick(Number.NaN)).toBe(0);
    expect(acc.tick(Number.POSITIVE_INFINITY)).toBe(0);
    expect(acc.tick(20)).toBe(20);
    expect(acc.alpha).toBe(0);
    acc.step(2);
    expect(acc.tick(Number.NaN)).toBe(2); // single steps still go out
  });
});
