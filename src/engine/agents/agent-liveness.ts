import { AGENT_RETRY_MAX_S, MIN_AGENT_OFFLINE_AFTER_S, POLL_SILENCE_MARGIN_S } from "../../protocol/poll-timing.ts";
import type { Host } from "../model.ts";

/** Why `--agent-offline-after` cannot work with the protocol, or null when it can. */
export function offlineAfterProblem(offlineAfterS: number): string | null {
  if (offlineAfterS >= MIN_AGENT_OFFLINE_AFTER_S) return null;
  return (
    `must be at least ${MIN_AGENT_OFFLINE_AFTER_S} seconds: an agent that lost a poll needs up to ${POLL_SILENCE_MARGIN_S} s to notice ` +
    `and up to ${AGENT_RETRY_MAX_S} s to retry, so a shorter window turns healthy hosts offline`
  );
}

/** Whether a poll of the host's agent is held open right now. */
export function agentConnected(host: Host): boolean {
  return host.pollsHeld > 0;
}

/** How long the host's agent has been unheard: zero while its poll is held. */
export function agentSilentFor(host: Host, now: number): number {
  return agentConnected(host) ? 0 : now - host.lastSeenAt;
}
