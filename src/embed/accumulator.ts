/**
 * The fixed-timestep accumulator of game loops, in simulated time: each frame adds the wall-clock
 * time since the last frame times `speed` to a store of simulated time and pays it out in whole
 * steps of `dt`. The network always advances by exact steps, whatever the frame rate.
 *
 * Safeguards: a long gap between frames (a hidden tab, a debugger) counts as at most `maxFrameMs`;
 * a frame never asks for more than `maxStepsPerFrame` steps, and what is over that cap is dropped
 * (counted in `droppedSteps`) rather than owed, so a network slower than real time slows down
 * instead of falling ever further behind.
 */
export interface AccumulatorOptions {
  /** The network's step, ms of simulated time. */
  dt: number;
  /** Simulated ms per wall-clock ms (default 1: real time). */
  speed?: number;
  /** Cap on steps per frame (default 200). */
  maxStepsPerFrame?: number;
  /** Longest gap between two frames that still counts, wall-clock ms (default 250). */
  maxFrameMs?: number;
  /** Start paused (default false). */
  paused?: boolean;
}

/** Tolerance on step counts: 16.667 ms at dt 1/60 ms must give exactly 1000 steps, not 999. */
const EPS = 1e-9;

export class StepAccumulator {
  readonly dt: number;
  /** Steps asked for and not given because of the per-frame cap. */
  droppedSteps = 0;
  private speedValue: number;
  private maxStepsValue: number;
  private maxFrameValue: number;
  private pausedValue: boolean;
  private last: number | null = null;
  /** Simulated ms owed, less than one step except right after a change of dt-grid. */
  private storeMs = 0;
  private singleSteps = 0;

  constructor(options: AccumulatorOptions) {
    if (!(options.dt > 0 && Number.isFinite(options.dt))) throw new RangeError(`dt must be a positive number of ms, got ${options.dt}`);
    this.dt = options.dt;
    this.speedValue = checkSpeed(options.speed ?? 1);
    this.maxStepsValue = checkCap(options.maxStepsPerFrame ?? 200);
    this.maxFrameValue = checkMaxFrame(options.maxFrameMs ?? 250);
    this.pausedValue = options.paused ?? false;
  }

  /** Cap on steps per frame, an integer ≥ 1. */
  get maxStepsPerFrame(): number {
    return this.maxStepsValue;
  }

  set maxStepsPerFrame(value: number) {
    this.maxStepsValue = checkCap(value);
  }

  /** Longest gap between two frames that still counts, wall-clock ms (finite, ≥ 0). */
  get maxFrameMs(): number {
    return this.maxFrameValue;
  }

  set maxFrameMs(value: number) {
    this.maxFrameValue = checkMaxFrame(value);
  }

  get speed(): number {
    return this.speedValue;
  }

  /** Simulated ms per wall-clock ms; takes effect from the next frame. */
  set speed(value: number) {
    this.speedValue = checkSpeed(value);
  }

  get paused(): boolean {
    return this.pausedValue;
  }

  pause(): void {
    this.pausedValue = true;
    this.storeMs = 0;
  }

  /** Resumes counting from the next frame: the time spent paused is never owed. */
  resume(): void {
    this.pausedValue = false;
    this.last = null;
  }

  /** Asks for `n` more steps at the next frame, paused or not (the "single step" button). */
  step(n = 1): void {
    this.singleSteps += checkCount(n, 'step()');
  }

  /** Fraction of a step already owed, in [0, 1): for interpolating between two states. */
  get alpha(): number {
    return Math.min(1, this.storeMs / this.dt);
  }

  /**
   * Called once per frame with the frame's timestamp (ms, e.g. requestAnimationFrame's); returns
   * the steps to run now. A timestamp that is not a finite number counts no time (and is not kept
   * as the last frame's): one NaN would otherwise poison the owed time for good.
   */
  tick(nowMs: number): number {
    const finite = Number.isFinite(nowMs);
    const elapsed = this.last === null || !finite ? 0 : Math.min(Math.max(0, nowMs - this.last), this.maxFrameValue);
    if (finite) this.last = nowMs;
    let steps = this.singleSteps;
    this.singleSteps = 0;
    if (!this.pausedValue) {
      this.storeMs += elapsed * this.speedValue;
      const due = Math.floor(this.storeMs / this.dt + EPS);
      this.storeMs = Math.max(0, this.storeMs - due * this.dt);
      steps += due;
    }
    if (steps > this.maxStepsValue) {
      this.droppedSteps += steps - this.maxStepsValue;
      steps = this.maxStepsValue;
    }
    return steps;
  }
}

function checkSpeed(speed: number): number {
  if (!(speed >= 0 && Number.isFinite(speed))) throw new RangeError(`speed must be a finite number ≥ 0, got ${speed}`);
  return speed;
}

function checkCap(n: number): number {
  if (!(Number.isInteger(n) && n >= 1)) throw new RangeError(`maxStepsPerFrame must be an integer ≥ 1, got ${n}`);
  return n;
}

function checkMaxFrame(ms: number): number {
  if (!(ms >= 0 && Number.isFinite(ms))) throw new RangeError(`maxFrameMs must be a finite number of ms ≥ 0, got ${ms}`);
  return ms;
}

function checkCount(n: number, what: string): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`${what}: expected an integer ≥ 0, got ${n}`);
  return n;
}
