// The job runner platform service: what main.ts and modules may use.
export { isJobName, pokeJobRunners, startJobRunner, type JobRunner, type JobRunnerOptions } from './runner.js';
export { jobByName, listJobs, requestRun, type JobRow } from './jobs.repo.js';
export type { JobContext, JobDefinition } from './types.js';
