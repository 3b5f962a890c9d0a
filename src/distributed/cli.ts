/**
 * `spikeworld worker --redis redis://host:6379 [--queue name] [--concurrency n] [--root dir]
 * [--lock-duration ms] [--stalled-interval ms] [--prefix p] [--quiet]`: serve redisExecutor sweeps.
 * bin/spikeworld.js loads this file (compiled, or the TypeScript source through tsx).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { availableCores } from '../parallel/platform.js';
import { missingRedisPackages } from './redisExecutor.js';

const USAGE = `usage: spikeworld worker --redis redis://host:6379 [options]
       spikeworld --version

Runs the networks of parallelRun sweeps sent with redisExecutor({ connection }) through Redis.
Start it in the project's directory (the same code as the caller's): the sweep's module is found
by its path relative to the project root.

options:
  --redis URL             Redis to take jobs from (or SPIKEWORLD_REDIS)
  --queue NAME            BullMQ queue (default spikeworld; as redisExecutor's queue)
  --concurrency N         chunks and networks run at once; each sweep gets N threads (default: ${availableCores()} cores)
  --root DIR              project root the module path is relative to (default: current directory)
  --lock-duration MS      job lock; a killed worker's jobs run elsewhere after it (default 15000)
  --stalled-interval MS   how often to look for jobs of dead workers (default 5000)
  --prefix P              BullMQ key prefix (default bull)
  --quiet                 no log lines
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  if (command !== 'worker') {
    process.stderr.write(`spikeworld: unknown command '${command}'\n\n${USAGE}`);
    return 2;
  }
  const opts = new Map<string, string>();
  let quiet = false;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg === '--help' || arg === '-h') {
      process.stdout.write(USAGE);
      return 0;
    }
    if (arg === '--quiet') {
      quiet = true;
      continue;
    }
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    const known = ['redis', 'queue', 'concurrency', 'root', 'lock-duration', 'stalled-interval', 'prefix'];
    if (!m || !known.includes(m[1]!)) {
      process.stderr.write(`spikeworld worker: unknown option '${arg}'\n\n${USAGE}`);
      return 2;
    }
    const value = m[2] ?? rest[++i];
    if (value === undefined) {
      process.stderr.write(`spikeworld worker: ${arg} needs a value\n`);
      return 2;
    }
    opts.set(m[1]!, value);
  }
  const redis = opts.get('redis') ?? process.env['SPIKEWORLD_REDIS'];
  if (!redis) {
    process.stderr.write(`spikeworld worker: give --redis redis://host:6379\n\n${USAGE}`);
    return 2;
  }
  const int = (name: string): number | undefined => {
    const raw = opts.get(name);
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!(Number.isInteger(n) && n >= 1)) throw new Error(`spikeworld worker: --${name} must be a positive integer, got ${raw}`);
    return n;
  };
  const stamp = () => new Date().toISOString().slice(11, 23);
  const log = quiet ? undefined : (line: string) => process.stdout.write(`${stamp()} ${line}\n`);
  const queue = opts.get('queue');
  const root = opts.get('root');
  if (root !== undefined && !(existsSync(root) && statSync(root).isDirectory())) {
    throw new Error(`spikeworld worker: --root ${root} is not a directory; give the project's directory (the caller's checkout)`);
  }
  const prefix = opts.get('prefix');
  const concurrency = int('concurrency');
  const lockDurationMs = int('lock-duration');
  const stalledIntervalMs = int('stalled-interval');
  // Loaded only to serve: --help and --version work without the optional bullmq and ioredis.
  const { startWorker } = await import('./worker.js').catch((e: unknown) => {
    throw missingRedisPackages(e) ?? e;
  });
  const worker = await startWorker({
    connection: redis,
    ...(queue !== undefined ? { queue } : {}),
    ...(root !== undefined ? { root } : {}),
    ...(prefix !== undefined ? { prefix } : {}),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(lockDurationMs !== undefined ? { lockDurationMs } : {}),
    ...(stalledIntervalMs !== undefined ? { stalledIntervalMs } : {}),
    ...(log ? { log } : {}),
  }).catch((e: unknown) => {
    throw inFlagNames(e);
  });
  // Ready: tests and scripts wait for this line.
  process.stdout.write(`spikeworld worker ready (pid ${process.pid})\n`);

  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (sig: string) => {
      if (stopping) {
        process.stderr.write(`spikeworld worker: ${sig} again, leaving now; the running chunks go to other workers\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`spikeworld worker: ${sig}, finishing the running chunks (${sig} again to leave now)\n`);
      void worker.close().then(resolve, resolve);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });
  return 0;
}

/** startWorker's option names as this command's flags, in its refusal of a bad value. */
const FLAGS: Readonly<Record<string, string>> = {
  concurrency: '--concurrency',
  lockDurationMs: '--lock-duration',
  stalledIntervalMs: '--stalled-interval',
  prefix: '--prefix',
  queue: '--queue',
  root: '--root',
};

function inFlagNames(e: unknown): unknown {
  const m = e instanceof Error ? /^spikeworld worker: (\w+) must /.exec(e.message) : null;
  const flag = m && FLAGS[m[1]!];
  if (flag) (e as Error).message = (e as Error).message.replace(`: ${m[1]!} must`, `: ${flag} must`);
  return e;
}

/** The package's version: its package.json is one level up from dist/cli.js, two from src/distributed/cli.ts. */
function packageVersion(): string {
  for (const relative of ['../package.json', '../../package.json']) {
    const file = fileURLToPath(new URL(relative, import.meta.url));
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version?: string };
    if (pkg.version) return pkg.version;
  }
  return 'unknown';
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  },
);
