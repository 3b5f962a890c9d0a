/**
 * Per-network overhead of the Redis executor versus the local pool (`npx tsx bench/redis.ts`):
 * 64 small networks (the seed network, 200 ms simulated each) run locally with parallelRun, then
 * through redisExecutor with one `spikeworld worker` process on this machine (concurrency = cores),
 * with the default chunking and with one network per job. Prints one line per figure, best of 3.
 * Each call is a new sweep: the worker starts its threads for it once (as the local pool does).
 * Starts its own redis-server on a free loopback port (or uses --redis URL / SPIKEWORLD_REDIS).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Workers inherit the environment: the sweep module reads its duration from it.
process.env['SPIKEWORLD_SWEEP_MS'] ??= '200';

const { parallelRun, redisExecutor } = await import('../src/index.js');
const { sweep } = await import('./sweepModule.js');
const { CHUNKS_PER_SLOT } = await import('../src/distributed/sweep.js');

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const module = new URL('./sweepModule.ts', import.meta.url);
const NETWORKS = 64;
const REPEATS = 3;
const cores = os.availableParallelism();
const children: ChildProcess[] = [];

function freePort(): Promise<number> {
  return new Promise((res) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

function started(child: ChildProcess, pattern: RegExp, what: string): Promise<void> {
  return new Promise((res, rej) => {
    let out = '';
    const onData = (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) res();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => rej(new Error(`${what} exited (${code}):\n${out}`)));
  });
}

async function best(run: () => Promise<unknown>): Promise<number> {
  let min = Infinity;
  for (let k = 0; k < REPEATS; k++) {
    const t0 = performance.now();
    await run();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

const flag = process.argv.indexOf('--redis');
let url = flag > 0 ? process.argv[flag + 1] : process.env['SPIKEWORLD_REDIS'];
try {
  if (!url) {
    if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) throw new Error('bench/redis.ts: redis-server is not installed (apt-get install -y redis-server) and no --redis URL was given');
    const port = await freePort();
    const redis = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'], { stdio: 'pipe' });
    children.push(redis);
    await started(redis, /Ready to accept connections/, 'redis-server');
    url = `redis://127.0.0.1:${port}`;
  }
  const queue = `bench-${process.pid}`;
  const worker = spawn(process.execPath, [resolve(root, 'bin/spikeworld.js'), 'worker', '--redis', url, '--queue', queue, '--concurrency', String(cores), '--quiet'], {
    cwd: root,
    env: { ...process.env, SPIKEWORLD_ENTRY: 'src' },
    stdio: 'pipe',
  });
  children.push(worker);
  await started(worker, /spikeworld worker ready/, 'spikeworld worker');

  const line = (name: string, ms: number, base?: number) =>
    console.log(
      `${name.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(6)} s  ${(ms / NETWORKS).toFixed(1).padStart(6)} ms/network` +
        (base === undefined ? '' : `  overhead ${((ms - base) / NETWORKS).toFixed(1).padStart(6)} ms/network`),
    );
  console.log(`${NETWORKS} networks (seed network, ${process.env['SPIKEWORLD_SWEEP_MS']} ms simulated), ${cores} cores, best of ${REPEATS}`);
  const local = await best(() => parallelRun({ method: sweep, number: NETWORKS, module }));
  line('local pool', local);
  const chunked = await best(() => parallelRun({ method: sweep, number: NETWORKS, module, executor: redisExecutor({ connection: url!, queue }) }));
  line(`redis, default chunks (${Math.ceil(NETWORKS / (CHUNKS_PER_SLOT * cores))}/job)`, chunked, local);
  const single = await best(() => parallelRun({ method: sweep, number: NETWORKS, module, executor: redisExecutor({ connection: url!, queue, chunkSize: 1 }) }));
  line('redis, 1 network per job', single, local);
} finally {
  for (const c of children.reverse()) if (c.pid !== undefined && c.exitCode === null) c.kill('SIGKILL');
}
