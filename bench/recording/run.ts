/**
 * What a networks-mode parallelRun call costs when the networks' monitors hold long recordings:
 * four networks of 1,000 neurons, each holding `rows` rows of `v` (and its spikes), each call
 * simulating 100 ms in every network. The recordings cross to the workers and back as shared
 * memory, so a call should cost the same whatever the monitors hold.
 *
 *   npx tsx bench/recording/run.ts [rows...]     # default: 0 5000 20000
 */
import { Network, parallelRun, releaseWorkers } from '../../src/index.js';
import { continueRun, recorded } from './network.js';

const module = new URL('./network.ts', import.meta.url).href;
const sizes = process.argv.slice(2).map(Number);
for (const rows of sizes.length > 0 ? sizes : [0, 5000, 20000]) {
  const networks = [0, 1, 2, 3].map(() => {
    const net = new Network({ everything: true });
    net.compile();
    if (rows > 0) net.simulate(rows);
    return net;
  });
  const calls: number[] = [];
  for (let k = 0; k < 6; k++) {
    const start = performance.now();
    // The signal keeps the calling thread out: every network runs in a worker (the path measured).
    await parallelRun({ method: continueRun, networks, module, maxWorkers: 2, signal: new AbortController().signal });
    calls.push(performance.now() - start);
  }
  const held = networks.map((n) => n.get(recorded).times('v').length);
  // The first calls start and warm up the workers; the last three are what a loop of calls costs.
  const warm = calls.slice(3).sort((a, b) => a - b);
  console.log(`${rows} rows held before: calls ${calls.map((ms) => ms.toFixed(0)).join(', ')} ms (warm median ${warm[1]!.toFixed(1)} ms); rows now ${held.join(', ')}`);
  for (const n of networks) n.dispose();
}
releaseWorkers();
