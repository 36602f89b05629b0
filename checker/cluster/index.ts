/**
 * checker/cluster — breadth-first search over several processes and hosts, on Redis: a
 * coordinator (`check --cluster URL`) and any number of workers (`worker --cluster URL`). The seen
 * set and the candidates are partitioned by fingerprint, the frontier is a queue of leased chunks,
 * the levels are synchronous and the parent pointers kept, so the results are the sequential
 * explorer's. docs/cluster.md tells how it works and what it costs.
 */

export type { WorkerOptions, WorkerReport } from './ClusterWorker.js';
export { runWorker } from './ClusterWorker.js';
export { Coordinator } from './Coordinator.js';
export type { ClusterSetup } from './clusterSetup.js';
export { PARTS } from './clusterSetup.js';
export { ClusterError, checkClusterUrl, connectRedis, redactUrl } from './connect.js';
export type { ExpandedLevel, LevelCut } from './levelCut.js';
export { levelCut } from './levelCut.js';
