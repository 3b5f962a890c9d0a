/** A worker refuses a sweep whose module differs from its own copy (another checkout, another version). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, expect, it } from 'vitest';

import { assertSameModule, moduleSha256, type StoredInit } from '../../src/distributed/common.js';

const dir = mkdtempSync(join(tmpdir(), 'sw-module-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("compares the caller's module file with the worker's by SHA-256", () => {
  const path = join(dir, 'sweep.ts');
  const url = pathToFileURL(path).href;
  writeFileSync(path, 'export const ms = 1000;\n');
  const stored = { module: { relative: 'sweep.ts' }, moduleSha256: moduleSha256(url), init: {} } as StoredInit;
  expect(stored.moduleSha256).toMatch(/^[0-9a-f]{64}$/);
  expect(() => assertSameModule(stored, url)).not.toThrow();
  writeFileSync(path, 'export const ms = 1000;\r\n'); // a Windows checkout of the same code
  expect(() => assertSameModule(stored, url)).not.toThrow();
  writeFileSync(path, 'export const ms = 1100;\n'); // the worker's checkout at another version
  expect(() => assertSameModule(stored, url)).toThrow(/its copy of the sweep's module sweep\.ts .* differs from the caller's \(sha256 [0-9a-f]{12}… here, [0-9a-f]{12}… there\); start the worker in a checkout of the caller's code/);
  // A module that is not a file (an http: URL in a browser) has nothing to compare.
  expect(moduleSha256('https://example.org/sweep.js')).toBeNull();
  expect(() => assertSameModule({ ...stored, moduleSha256: null }, url)).not.toThrow();
});
