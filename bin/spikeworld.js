#!/usr/bin/env node
// The `spikeworld` command (`spikeworld worker --redis redis://host:6379`, see src/distributed/cli.ts).
// It runs the compiled package (dist/) when there is one, else the TypeScript source through tsx,
// so that it uses the same spikeworld modules as the user's code. SPIKEWORLD_ENTRY=src|dist chooses.
import { existsSync } from 'node:fs';

const dist = new URL('../dist/cli.js', import.meta.url);
const src = new URL('../src/distributed/cli.ts', import.meta.url);
const wanted = process.env.SPIKEWORLD_ENTRY;
const useSrc = wanted === 'src' || (wanted !== 'dist' && !existsSync(dist) && existsSync(src));

if (useSrc && !existsSync(src)) {
  console.error('spikeworld: SPIKEWORLD_ENTRY=src, but the TypeScript source is not here (an installed package ships dist/ only)');
  process.exit(1);
}
if (!useSrc && !existsSync(dist)) {
  console.error('spikeworld: dist/cli.js is missing: run npm run build first');
  process.exit(1);
}
if (useSrc) {
  let register;
  try {
    ({ register } = await import('tsx/esm/api'));
  } catch {
    console.error('spikeworld: running from the TypeScript source needs tsx (npm install --save-dev tsx), or build with npm run build');
    process.exit(1);
  }
  register();
  await import(src.href);
} else {
  await import(dist.href);
}
