/**
 * The planning worker (Node worker_threads through tsx, or a module Web Worker): rebuilds
 * the travel-time model once, then computes cover sets of candidate chunks. See
 * createPlanningWorkerApi in planning.ts.
 */
import { exposeWorker } from '@fs-access/workers';
import { createPlanningWorkerApi } from './planning.ts';

void exposeWorker(createPlanningWorkerApi());
