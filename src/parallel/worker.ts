/**
 * spikeworld's own parallelRun worker (platform.ts starts it): it imports the module that the
 * calling thread names (`module`, or the program's entry script). The work is in serve.ts.
 */
import { serveWorker } from './serve.js';

serveWorker(null, import.meta.url);
