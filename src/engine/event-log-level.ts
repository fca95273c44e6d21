import type { LogLevel } from "../log.ts";
import type { BrokerEvent } from "./event-log.ts";

/** Events that mean something went wrong on a host or in a lab: an operator should see them. */
const WARNING_EVENTS = new Set([
  "lab.failed",
  "lab.orphan",
  "host.offline",
  "host.unhealthy",
  "session.reservation-failed",
  "work.redelivered",
]);
/** Ends a session did not choose: reaped for silence, lost with its host, or never started. */
const FORCED_END_REASONS = new Set(["expired", "host-lost", "reservation-failed"]);

/** The level an event is logged at: warnings for failures, info for the normal course of things. */
export function eventLogLevel(event: BrokerEvent): LogLevel {
  if (WARNING_EVENTS.has(event.type)) return "warn";
  if (event.type === "work.finished" && event.data.ok === false) return "warn";
  if (event.type === "session.ended" && FORCED_END_REASONS.has(String(event.data.reason))) return "warn";
  return "info";
}
