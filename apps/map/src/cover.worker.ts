/**
 * A planning worker of the recommendation pool: @fs-access/access's planning worker API
 * (cover sets of candidate chunks on the crow-fly model) served by @fs-access/workers.
 * Written here rather than loaded from the package so that Vite bundles it.
 */
import { createPlanningWorkerApi } from '@fs-access/access';
import { exposeWorker } from '@fs-access/workers';

void exposeWorker(createPlanningWorkerApi());
