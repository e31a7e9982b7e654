/**
 * The front door of app/jobs for server code: routes and other capabilities
 * import from here and from nowhere else inside app/jobs.
 */
export { confirmDeadline } from "./orders-expiry.server";
export { jobQueue, startJobs, type JobQueue } from "./start.server";
