// The worker file of sweepB.ts: the serving entry first, then the module.
import { serveParallelRun } from '../../../src/parallel/serve.js';
import * as sweep from './sweepB.js';

serveParallelRun(sweep);
