// A worker file that gives serveParallelRun no module.
import { register } from 'tsx/esm/api';

register();
const { serveParallelRun } = await import('../../../src/parallel/serve.ts');
serveParallelRun(null);
