// A worker file of the user's: the serving entry first (so that the module's isMainThread is false), then the module.
import { serveParallelRun } from '../../../src/parallel/serve.js';
import * as sweep from './sweep.js';

serveParallelRun(sweep);
