import { agentSilentFor } from "../agents/agent-liveness.ts";
import type { Change, EngineContext } from "../context.ts";
import { completeWork } from "../work/complete-work.ts";
import { LAB_WORK_VERBS } from "../../protocol/lab-work.ts";

/**
 * Deploys, destroys and resets waiting on a host that has been offline past the grace fail, so their labs
 * turn `failed` with the reason instead of staying `deploying` or `stopping` for as long as the
 * agent is gone. An agent that comes back reports into a finished item, which changes nothing.
 */
export function failLabWorkOnLostHosts(ctx: EngineContext, change: Change): void {
  const { settings } = ctx;
  const now = ctx.clock.now();
  for (const host of ctx.state.hosts.all()) {
    const silentFor = agentSilentFor(host, now);
    if (host.online || silentFor <= settings.agentOfflineAfterMs + settings.offlineGraceMs) continue;
    for (const item of ctx.state.work.openForHost(host.id)) {
      const doing = LAB_WORK_VERBS[item.kind];
      if (!doing) continue;
      const error = `host "${host.name}" has been offline for ${Math.round(silentFor / 1000)} s, past the bound of ${
        (settings.agentOfflineAfterMs + settings.offlineGraceMs) / 1000
      } s: the ${doing} was given up`;
      completeWork(ctx, change, item, { ok: false, result: null, error });
    }
  }
}
