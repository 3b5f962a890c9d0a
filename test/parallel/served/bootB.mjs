// Node starts the worker file with tsx registered (Node 20 ignores `--import tsx` in a worker's execArgv).
import { register } from 'tsx/esm/api';

register();
await import('./workerB.ts');
