import { agentSilentFor } from "../engine/agents/agent-liveness.ts";
import type { EngineContext } from "../engine/context.ts";
import { HOST_STATES, hostState, SESSION_STATES } from "../engine/model.ts";
import { describeRequirement } from "../engine/requirements.ts";
import type { BrokerMetrics } from "./broker-metrics.ts";

/** Sets the gauges that describe the live state (queue, sessions, hosts, agents) as of `now`. */
export function updateStateGauges(ctx: EngineContext, metrics: BrokerMetrics, now: number): void {
  const { state } = ctx;

  metrics.queueDepth.reset();
  for (const pool of state.sessions.queue.pools()) {
    const first = pool.sessions[0];
    if (!first) continue;
    // Pools also differ by walltime; the label names only what the sessions ask for.
    const label = first.requirements.map(describeRequirement).join(" + ");
    metrics.queueDepth.inc({ pool: label }, pool.sessions.length);
  }

  const sessions = Object.fromEntries(SESSION_STATES.filter((name) => name !== "ended").map((name) => [name, 0]));
  for (const session of state.sessions.all()) sessions[session.state] = (sessions[session.state] ?? 0) + 1;
  for (const [name, count] of Object.entries(sessions)) metrics.sessions.set({ state: name }, count);

  const hosts = Object.fromEntries(HOST_STATES.map((name) => [name, 0]));
  metrics.agentLastSeenAge.reset();
  for (const host of state.hosts.all()) {
    hosts[hostState(host)]! += 1;
    metrics.agentLastSeenAge.set({ host: host.name }, Math.max(0, agentSilentFor(host, now)) / 1000);
  }
  for (const [name, count] of Object.entries(hosts)) metrics.hosts.set({ state: name }, count);
}
