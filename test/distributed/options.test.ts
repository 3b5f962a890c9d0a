/** redisExecutor's options are checked when it is made, before anything connects. */
import { expect, it } from 'vitest';

import { redisExecutor, SpikeworldError } from '../../src/index.js';

const connection = 'redis://127.0.0.1:6379';

it('refuses unknown options and bad values, naming them', () => {
  const refused = (options: object, pattern: RegExp) => {
    let caught: unknown;
    try {
      redisExecutor({ connection, ...options } as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(SpikeworldError);
    expect((caught as Error).message).toMatch(pattern);
  };
  refused({ chunksize: 4 }, /unknown option 'chunksize'; the options are connection, queue, chunkSize/);
  refused({ chunkSize: 0 }, /chunkSize must be an integer >= 1, got 0/);
  refused({ attempts: 0 }, /attempts must be an integer >= 1, got 0/);
  refused({ attempts: 1.5 }, /attempts must be an integer >= 1, got 1.5/);
  refused({ ttlSeconds: 0 }, /ttlSeconds must be an integer >= 1, got 0/);
  refused({ backoffMs: -5 }, /backoffMs must be a number of ms >= 0, got -5/);
  refused({ connectTimeoutMs: 'abc' }, /connectTimeoutMs must be a number of ms > 0, got abc/);
  refused({ queue: '' }, /queue must be a non-empty string, got ""/);
  refused({ queue: 'a:b' }, /queue names cannot contain ':', got a:b/);
  refused({ prefix: '' }, /prefix must be a non-empty string/);
  expect(() => redisExecutor({ connection, chunkSize: 2, attempts: 1, backoffMs: 0, ttlSeconds: 60, queue: 'q', prefix: 'p' })).not.toThrow();
});
