import type { Api } from "./api.ts";
import { registerPostPoll } from "./agents/post-poll.ts";
import { registerPostEvents } from "./agents/post-events.ts";
import { registerGetLabFiles } from "./agents/get-lab-files.ts";
import { registerPostRegister } from "./agents/post-register.ts";
import { registerCompatDeleteSession } from "./compat/delete-session.ts";
import { registerCompatGetActiveSession } from "./compat/get-active-session.ts";
import { registerCompatGetDebugHealth } from "./compat/get-debug-health.ts";
import { registerCompatGetLab } from "./compat/get-lab.ts";
import { registerCompatLabReleaseDelete } from "./compat/lab-release-delete.ts";
import { registerCompatPostLab } from "./compat/post-lab.ts";
import { registerCompatGetSession } from "./compat/get-session.ts";
import { registerCompatPostHeartbeat } from "./compat/post-heartbeat.ts";
import { registerCompatPostSession } from "./compat/post-session.ts";
import { registerGetHost } from "./hosts/get-host.ts";
import { registerListHosts } from "./hosts/list-hosts.ts";
import { registerPatchHost } from "./hosts/patch-host.ts";
import { registerPostHealthCheck } from "./hosts/post-health-check.ts";
import { registerPostRefreshInventory } from "./hosts/post-refresh-inventory.ts";
import { registerGetLabLogs } from "./labs/get-lab-logs.ts";
import { registerGetLabs } from "./labs/get-labs.ts";
import { registerLabActions } from "./labs/lab-actions.ts";
import { registerPostLab } from "./labs/post-lab.ts";
import { registerPostLabDeploy } from "./labs/post-lab-deploy.ts";
import { registerPostSessionResult } from "./results/post-session-result.ts";
import type { RouteDeps } from "./route-deps.ts";
import { registerDeviceRoutes } from "./devices/device-routes.ts";
import { registerFileRoutes } from "./devices/file-routes.ts";
import { registerGetSessionSummary } from "./jobs/get-session-summary.ts";
import { registerGetJob } from "./jobs/get-job.ts";
import { registerGetJobOutput } from "./jobs/get-job-output.ts";
import { registerListSessionJobs } from "./jobs/list-session-jobs.ts";
import { registerPostJobKill } from "./jobs/post-job-kill.ts";
import { registerPostJobWait } from "./jobs/post-job-wait.ts";
import { registerPostSessionJob } from "./jobs/post-session-job.ts";
import { registerDeleteSession } from "./sessions/delete-session.ts";
import { registerGetSession } from "./sessions/get-session.ts";
import { registerGetSessionEvents } from "./sessions/get-session-events.ts";
import { registerGetSessionManifest } from "./sessions/get-session-manifest.ts";
import { registerListSessions } from "./sessions/list-sessions.ts";
import { registerPostSession } from "./sessions/post-session.ts";
import { registerPostSessionHeartbeat } from "./sessions/post-session-heartbeat.ts";
import { registerPatchSession } from "./sessions/patch-session.ts";
import { registerSlotRoutes } from "./slots/slot-routes.ts";
import { registerGetHostCalendar } from "./hosts/get-host-calendar.ts";
import { registerGetEvents } from "./events/get-events.ts";
import { registerGetUsage } from "./stats/get-usage.ts";
import { registerGetWork } from "./work/get-work.ts";
import { registerTokenRoutes } from "./tokens/token-routes.ts";

/** Every resource route of the broker. */
export function registerRoutes(api: Api, deps: RouteDeps): void {
  registerCompatPostSession(api, deps);
  registerCompatPostHeartbeat(api, deps);
  registerCompatGetSession(api, deps);
  registerCompatDeleteSession(api, deps);
  registerCompatGetActiveSession(api, deps);
  registerCompatGetDebugHealth(api, deps);
  registerCompatPostLab(api, deps);
  registerCompatGetLab(api, deps);
  registerCompatLabReleaseDelete(api, deps);

  registerPostSession(api, deps);
  registerListSessions(api, deps);
  registerGetSession(api, deps);
  registerDeleteSession(api, deps);
  registerPostSessionHeartbeat(api, deps);
  registerPatchSession(api, deps);
  registerSlotRoutes(api, deps);
  registerGetSessionEvents(api, deps);
  registerGetSessionManifest(api, deps);

  registerPostLab(api, deps);
  registerGetLabs(api, deps);
  registerLabActions(api, deps);
  registerPostLabDeploy(api, deps);
  registerGetLabLogs(api, deps);

  registerPostSessionJob(api, deps);
  registerGetJob(api, deps);
  registerPostJobKill(api, deps);
  registerGetJobOutput(api, deps);
  registerListSessionJobs(api, deps);
  registerPostJobWait(api, deps);
  registerGetSessionSummary(api, deps);
  registerPostSessionResult(api, deps);
  registerDeviceRoutes(api, deps);
  registerFileRoutes(api, deps);

  registerListHosts(api, deps);
  registerGetHost(api, deps);
  registerGetHostCalendar(api, deps);
  registerPatchHost(api, deps);
  registerPostRefreshInventory(api, deps);
  registerPostHealthCheck(api, deps);
  registerGetWork(api, deps);

  registerGetEvents(api, deps);
  registerTokenRoutes(api, deps);
  registerGetUsage(api, deps);

  registerPostRegister(api, deps);
  registerPostPoll(api, deps);
  registerPostEvents(api, deps);
  registerGetLabFiles(api, deps);
}
