import { MAJOR_VERSION, VERSION } from "../version.ts";

/**
 * The version of the broker ↔ agent contract: the work kinds, their payloads and results, and the
 * agent routes. Raised on any change the other side could misread, so a mismatch is refused at
 * registration and on each work item instead.
 */
export const PROTOCOL_VERSION = 1;

/** What a peer that sends no protocol version speaks: brokers and agents from before it was sent. */
export const UNVERSIONED_PROTOCOL = 1;

/** Why an agent cannot work with this broker (release major version, then protocol), or null when it can. */
export function agentIncompatibility(agentVersion: string, agentProtocol: number): string | null {
  if (Number(agentVersion.split(".")[0]) !== MAJOR_VERSION) {
    return `Agent version ${agentVersion} cannot work with broker version ${VERSION}: the major versions must match`;
  }
  if (agentProtocol !== PROTOCOL_VERSION) {
    return `Agent version ${agentVersion} speaks protocol version ${agentProtocol}; broker version ${VERSION} speaks protocol version ` +
      `${PROTOCOL_VERSION}: run an agent that speaks protocol version ${PROTOCOL_VERSION}`;
  }
  return null;
}
