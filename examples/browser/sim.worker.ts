/** The demo's worker: one network per worker, built by name when the page starts it. */
import { serveNetworks } from '../../src/embed/worker.js';
import { izhikevich2003, seedCondition } from './networks.js';

serveNetworks({ izhikevich2003, seedCondition });
