import type { BrokerEvent } from "../../engine/event-log.ts";
import { isoTime } from "../iso-time.ts";
import { formatSse } from "./sse-sink.ts";

/** An event as clients see it: time as RFC 3339, only the references it has. */
export function eventJson(event: BrokerEvent): EventJson {
  const refs = Object.fromEntries(
    Object.entries({ session_id: event.sessionId, host_id: event.hostId, lab_id: event.labId, job_id: event.jobId }).filter(([, value]) =>
      value
    ),
  );
  return { id: event.id, type: event.type, at: isoTime(event.at)!, ...refs, actor: event.actor, data: event.data };
}

export interface EventJson {
  id: number;
  type: string;
  at: string;
  session_id?: string;
  host_id?: string;
  lab_id?: string;
  job_id?: string;
  /** Who caused it: a token's name, `agent:<host>`, `anonymous` or `system`; null before actors were recorded. */
  actor: string | null;
  data: Record<string, unknown>;
}

interface EncodedEvent {
  whole?: Uint8Array;
  withoutData?: Uint8Array;
}

const encoder = new TextEncoder();
// An event goes to every open stream and every replay of its page: its bytes are made once per form.
const encodedEvents = new WeakMap<BrokerEvent, EncodedEvent>();

/** The event as one SSE message, encoded; `withoutData` hides its details (`data: {}`) from readers who may not see them. */
export function eventBytes(event: BrokerEvent, withoutData: boolean): Uint8Array {
  let encoded = encodedEvents.get(event);
  if (!encoded) encodedEvents.set(event, encoded = {});
  const form = withoutData ? "withoutData" : "whole";
  return encoded[form] ??= encoder.encode(
    formatSse({ id: String(event.id), event: event.type, data: JSON.stringify(eventJson(withoutData ? { ...event, data: {} } : event)) }),
  );
}
