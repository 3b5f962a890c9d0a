/** Where examples write their pictures (Node only: examples are scripts, not library code). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function writeOutput(name: string, content: string): string {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), '../../out');
  mkdirSync(dir, { recursive: true });
  const file = resolve(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A one-line progress bar on stderr-free stdout: [#####.....] 5/10. */
export function progressBar(done: number, total: number, width = 30): string {
  const filled = Math.round((done / total) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}
