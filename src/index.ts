/** spikeworld's public surface. */
export { setup, getSeed, clear, Network, type NetworkOptions, type SetupOptions, type ResetOptions, type SimulateOptions, type SimulateUntilOptions, type EveryOptions, type EveryHandle } from './api/network.js';
export type { Precision, StateArray } from './world/populationData.js';
export { compile, simulate, simulateUntil, every, clearAllCallbacks, step, reset, getTime, getCurrentStep, enableLearning, disableLearning } from './api/globals.js';
export { Population, type PopulationOptions, type Geometry } from './api/population.js';
export type { KernelInfo } from './world/kernels.js';
export { PopulationView } from './api/view.js';
export type { PopulationBase } from './api/population.js';
export { PoissonPopulation, type PoissonOptions } from './api/poisson.js';
export { TimedPoissonPopulation, type TimedPoissonOptions, type TimedPoissonUpdate, type TimedRateEntries, type TimedSchedule } from './api/timedPoisson.js';
export { SpikeSourceArray, type SpikeSourceOptions, type SpikeTimes } from './api/spikeSource.js';
export {
  Neuron,
  Izhikevich,
  IF_curr_exp,
  IF_cond_exp,
  IF_curr_alpha,
  IF_cond_alpha,
  EIF_cond_exp_isfa_ista,
  EIF_cond_alpha_isfa_ista,
  HH_cond_exp,
  type NeuronDescription,
  type BuiltinNeuron,
  type StateOf,
} from './api/neuron.js';
export type {
  IzhikevichState,
  IFCurrExpState,
  IFCondExpState,
  IFCurrAlphaState,
  IFCondAlphaState,
  EIFCondExpIsfaIstaState,
  EIFCondAlphaIsfaIstaState,
  HHCondExpState,
  AlphaKernelState,
} from './api/builtinState.js';
export {
  Projection,
  Dendrite,
  type ConnectOptions,
  type SelfConnectOptions,
  type GaussianOptions,
  type DogOptions,
  type SparseMatrix,
  type ConnectivityMethod,
} from './api/projection.js';
export { LILConnectivity } from './api/lil.js';
export { STDP, STP, type StdpParameters, type StdpSynapse, type StpParameters, type StpSynapse, type SynapseModel } from './api/synapse.js';
export { Monitor, type MonitorOptions, type ProjectionGetOptions, type SpikeData } from './api/monitor.js';
export type { Assignable } from './api/values.js';
export {
  Uniform,
  DiscreteUniform,
  Normal,
  LogNormal,
  Exponential,
  Gamma,
  Binomial,
  RandomDistribution,
} from './random/distributions.js';
export { SpikeworldError, ModelError } from './errors.js';
export * as analysis from './analysis/spikes.js';
export type { SpikeRecord } from './analysis/spikeRecord.js';
export { parallelRun, networkSeed, ParallelRunError, releaseWorkers, KEEP_WORKERS_MS, runJobsOnPool, openJobPool, type JobPool, type ParallelRunOptions, type ParallelWorker, type Executor, type ExecutorRequest, type CopyJob, type WorkerInit } from './parallel/parallelRun.js';
export { isMainThread } from './parallel/context.js';
export { sample } from './api/sample.js';
export { redisExecutor, type RedisExecutorOptions } from './distributed/redisExecutor.js';
