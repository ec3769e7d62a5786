// Entry of a Node worker whose module is TypeScript: registers tsx's loader in this
// thread (Node 20 does not carry `--import` hooks into workers), then loads the module.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__fsAccessEntry);
