/** The global functions: ANNarchy's module-level verbs, driving the template network. */
import { templateNetwork, type EveryHandle, type EveryOptions, type ResetOptions, type SimulateOptions, type SimulateUntilOptions } from './network.js';
import type { PopulationBase } from './population.js';
import type { Projection } from './projection.js';

export function compile(): void {
  templateNetwork().compile();
}

export function simulate(durationMs: number, options?: SimulateOptions): void {
  templateNetwork().simulate(durationMs, options);
}

/** ANNarchy's `@every(period, offset, wait)` on the template network (see Network.every). */
export function every(periodMs: number, callback: (n: number) => void, options?: EveryOptions): EveryHandle {
  return templateNetwork().every(periodMs, callback, options);
}

/** ANNarchy's clear_all_callbacks(): removes the template network's every() callbacks. */
export function clearAllCallbacks(): void {
  templateNetwork().clearCallbacks();
}

export function simulateUntil(
  maxDurationMs: number,
  populations: PopulationBase | readonly PopulationBase[],
  options?: SimulateUntilOptions,
): number {
  return templateNetwork().simulateUntil(maxDurationMs, populations, options);
}

export function step(): void {
  templateNetwork().step();
}

export function reset(options?: ResetOptions): void {
  templateNetwork().reset(options);
}

/** ANNarchy's `enable_learning(projections)` on the template network (see Network.enableLearning). */
export function enableLearning(projections?: Projection | readonly Projection[]): void {
  templateNetwork().enableLearning(projections);
}

/** ANNarchy's `disable_learning(projections)` on the template network: plastic weights stay as they are. */
export function disableLearning(projections?: Projection | readonly Projection[]): void {
  templateNetwork().disableLearning(projections);
}

export function getTime(): number {
  return templateNetwork().getTime();
}

export function getCurrentStep(): number {
  return templateNetwork().getCurrentStep();
}
