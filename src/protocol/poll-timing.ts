/**
 * The timing of the broker ↔ agent protocol, in one place because both sides and the broker's
 * settings check depend on it. A host is alive while its agent's poll is held and for
 * `--agent-offline-after` after the last poll ended, so how long a poll is held never decides
 * liveness.
 */

/** How long an agent asks the broker to hold an idle poll; short, so a silently dead link is noticed soon. */
export const AGENT_POLL_HOLD_S = 10;
/** The most the broker holds a poll, whatever the agent asks. */
export const MAX_POLL_HOLD_S = 25;
/** An agent gives up on a poll this long after its hold should have ended: the connection is dead. */
export const POLL_SILENCE_MARGIN_S = 5;
/** The longest an agent waits between two attempts to reach the broker. */
export const AGENT_RETRY_MAX_S = 5;
/**
 * A healthy agent whose poll was lost on the way is unheard for up to the silence margin plus one
 * retry; a host going offline sooner would flap on every dropped packet.
 */
export const MIN_AGENT_OFFLINE_AFTER_S = POLL_SILENCE_MARGIN_S + AGENT_RETRY_MAX_S;
