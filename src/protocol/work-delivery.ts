import { VERSION } from "../version.ts";
import { PROTOCOL_VERSION, UNVERSIONED_PROTOCOL } from "./protocol-version.ts";
import { type Parsed, type ParsedWorkPayload, parseWorkPayload } from "./work-contract.ts";
import { isWorkKind, type WorkKind } from "./work-kinds.ts";

/** One work item as it arrives at an agent, before the agent has checked it. */
export interface ArrivedWork {
  id: string;
  kind: string;
  payload: unknown;
  protocol_version?: number | undefined;
}

/** A work item this agent can run: its kind, and its payload read by that kind's schema. */
export type ReadableWork = { [K in WorkKind]: { kind: K; payload: ParsedWorkPayload<K> } }[WorkKind];

/**
 * Checks work before an agent runs it: the protocol version it was written in, its kind, and its
 * payload. Each refusal says exactly what does not fit, so the work fails instead of being misread.
 */
export function readArrivedWork(work: ArrivedWork): Parsed<ReadableWork> {
  const protocol = work.protocol_version ?? UNVERSIONED_PROTOCOL;
  if (protocol !== PROTOCOL_VERSION) {
    return {
      ok: false,
      error: `Work "${work.id}" is written in protocol version ${protocol}; this agent (version ${VERSION}) speaks protocol version ` +
        `${PROTOCOL_VERSION}: run an agent and a broker that speak the same protocol version`,
    };
  }
  if (!isWorkKind(work.kind)) {
    return {
      ok: false,
      error: `This agent (version ${VERSION}, protocol version ${PROTOCOL_VERSION}) cannot run work of kind "${work.kind}"`,
    };
  }
  const payload = parseWorkPayload(work.kind, work.payload);
  return payload.ok ? { ok: true, value: { kind: work.kind, payload: payload.value } as ReadableWork } : payload;
}
