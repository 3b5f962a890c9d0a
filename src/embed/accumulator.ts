/**
 * The fixed-timestep accumulator of game loops, in simulated time: each frame adds the wall-clock
 * time since the last frame times `speed` to a store of simulated time and pays it out in whole
 * steps of `dt`. The network always advances by exact steps, whatever the frame rate.
 *
 * Safeguards: a long gap between frames (a hidden tab, a debugger) counts as at most `maxFrameMs`;
 * a frame never asks for more than `maxStepsPerFrame` steps, and what is over that cap is dropped
 * (counted in `droppedSteps`) rather than owed, so a network slower than real time slows down
 * instead of falling ever further behind; a frame whose consumer is still behind (`lagging`)
 * drops its time whole (`lagDroppedSteps`). Steps asked for with `step()` are never dropped: they
 * go first within a frame's cap, the rest in later frames, and wait while the consumer lags.
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
  /** Steps of frame time not given because of the per-frame cap. */
  droppedSteps = 0;
  /** Steps of frame time not given because the consumer was behind (tick's `lagging`). */
  lagDroppedSteps = 0;
  private speedValue: number;
  private maxStepsValue: number;
  private maxFrameValue: number;
  private pausedValue: boolean;
  private last: number | null = null;
  /** Simulated ms owed, less than one step except right after a change of dt-grid. */
  private storeMs = 0;
  private singleSteps = 0;

  constructor(options: AccumulatorOptions) {
    StepAccumulator.check(options);
    this.dt = options.dt;
    this.speedValue = options.speed ?? 1;
    this.maxStepsValue = options.maxStepsPerFrame ?? 200;
    this.maxFrameValue = options.maxFrameMs ?? 250;
    this.pausedValue = options.paused ?? false;
  }

  /** Throws a RangeError naming the first bad option (what the constructor checks). */
  static check(options: Partial<AccumulatorOptions>): void {
    if (options.dt !== undefined && !(options.dt > 0 && Number.isFinite(options.dt))) throw new RangeError(`dt must be a positive number of ms, got ${options.dt}`);
    if (options.speed !== undefined) checkSpeed(options.speed);
    if (options.maxStepsPerFrame !== undefined) checkCap(options.maxStepsPerFrame);
    if (options.maxFrameMs !== undefined) checkMaxFrame(options.maxFrameMs);
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

  /**
   * Asks for `n` more steps, paused or not (the "single step" button): at the next frame, within
   * its cap (the rest at later frames), never dropped.
   */
  step(n = 1): void {
    this.singleSteps += checkCount(n, 'step()');
  }

  /** Forgets the steps asked for with step() and not yet given (a reset). */
  clearSteps(): void {
    this.singleSteps = 0;
  }

  /** Fraction of a step already owed, in [0, 1): for interpolating between two states. */
  get alpha(): number {
    return Math.min(1, this.storeMs / this.dt);
  }

  /**
   * Called once per frame with the frame's timestamp (ms, e.g. requestAnimationFrame's); returns
   * the steps to run now: step()'s first, then the frame's time, together at most the cap and
   * `limit` (the steps the consumer has left: time past it is neither given nor counted dropped).
   * `lagging`: the consumer is still behind, so the frame's time is dropped and step()'s wait.
   * A timestamp that is not a finite number counts no time (and is not kept as the last frame's):
   * one NaN would otherwise poison the owed time for good.
   */
  tick(nowMs: number, consumer: { lagging?: boolean; limit?: number } = {}): number {
    const { lagging = false, limit = Infinity } = consumer;
    const finite = Number.isFinite(nowMs);
    const elapsed = this.last === null || !finite ? 0 : Math.min(Math.max(0, nowMs - this.last), this.maxFrameValue);
    if (finite) this.last = nowMs;
    let timed = 0;
    if (!this.pausedValue) {
      this.storeMs += elapsed * this.speedValue;
      const due = Math.floor(this.storeMs / this.dt + EPS);
      this.storeMs = Math.max(0, this.storeMs - due * this.dt);
      timed = Math.min(due, limit);
    }
    if (lagging) {
      this.lagDroppedSteps += timed;
      return 0;
    }
    const room = Math.min(this.maxStepsValue, limit);
    const single = Math.min(this.singleSteps, room);
    this.singleSteps -= single;
    const sent = Math.min(timed, room - single);
    // Dropped: the frame's time over the cap (not what the consumer's limit holds back).
    this.droppedSteps += Math.max(0, Math.min(timed, single + timed - this.maxStepsValue));
    return single + sent;
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
