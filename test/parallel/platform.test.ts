/** platform.ts: module paths become the file: URLs the workers import (names with # ? % included). */
import { pathToFileURL } from 'node:url';

import { expect, it } from 'vitest';

import { toModuleUrl } from '../../src/parallel/platform.js';

it('a path becomes its file: URL with #, ? and % escaped; a URL stays as it is', () => {
  expect(toModuleUrl('/tmp/run#1/sweep?.ts')).toBe('file:///tmp/run%231/sweep%3F.ts');
  expect(toModuleUrl('/tmp/100%/sweep.ts')).toBe('file:///tmp/100%25/sweep.ts');
  expect(toModuleUrl('sweep.ts')).toBe(pathToFileURL('sweep.ts').href);
  expect(toModuleUrl('file:///tmp/a.ts')).toBe('file:///tmp/a.ts');
  expect(toModuleUrl(new URL('file:///tmp/b.ts'))).toBe('file:///tmp/b.ts');
});
