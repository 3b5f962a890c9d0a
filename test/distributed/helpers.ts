/**
 * A real Redis (Debian's redis-server on a free loopback port, persistence off) and spikeworld
 * worker processes (`node bin/spikeworld.js worker`) for the distributed tests. Everything is
 * stopped by process id.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => res(port));
    });
  });
}

export interface Proc {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function track(child: ChildProcess, what: string): Proc {
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    child,
    output: () => out,
    async waitFor(pattern, timeoutMs = 20_000) {
      const until = Date.now() + timeoutMs;
      while (!pattern.test(out)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${what} exited (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${out}`);
        if (Date.now() > until) throw new Error(`${what}: no ${pattern} within ${timeoutMs} ms:\n${out}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        process.kill(child.pid, signal);
        await exited;
      }
    },
  };
}

/** redis-server on 127.0.0.1:port, no RDB/AOF; fails with a clear message where it is not installed. */
export async function startRedis(port: number): Promise<Proc> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    throw new Error('redis-server is not installed: the distributed tests need it (apt-get install -y redis-server; .ci/run installs it)');
  }
  const child = spawn('redis-server', ['--save', '', '--appendonly', 'no', '--port', String(port), '--bind', '127.0.0.1'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const p = track(child, 'redis-server');
  await p.waitFor(/Ready to accept connections/, 10_000);
  return p;
}

export async function startWorker(url: string, queue: string, extra: string[] = []): Promise<Proc> {
  const child = spawn(
    process.execPath,
    [resolve(root, 'bin/spikeworld.js'), 'worker', '--redis', url, '--queue', queue, '--concurrency', '1', '--lock-duration', '2000', '--stalled-interval', '1000', ...extra],
    { cwd: root, env: { ...process.env, SPIKEWORLD_ENTRY: 'src' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const p = track(child, 'spikeworld worker');
  await p.waitFor(/spikeworld worker ready/);
  return p;
}

/** Raster as plain arrays, for deep equality. */
export const plain = (r: { t: Float64Array; n: Int32Array; synapses: number }) => ({ t: [...r.t], n: [...r.n], synapses: r.synapses });
