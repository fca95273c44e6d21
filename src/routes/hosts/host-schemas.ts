import { z } from "@hono/zod-openapi";
import { agentConnected } from "../../engine/agents/agent-liveness.ts";
import { healthGateOf } from "../../engine/hosts/health-gate.ts";
import { effectiveCapacity, effectiveLabels, HEALTH_STATES, type Host, HOST_STATES, hostState } from "../../engine/model.ts";
import { HEALTH_GATE_MODES } from "../../protocol/health-gate-modes.ts";
import { RUNTIMES } from "../../protocol/runtimes.ts";
import { isoTime, IsoTimeSchema } from "../iso-time.ts";
import { JsonObjectSchema } from "../json-value.ts";

const HostHealthSchema = z
  .object({
    state: z.enum(HEALTH_STATES).openapi({
      description:
        "`checking` from a session's end until the agent's check reports (no new session meanwhile); `unhealthy` until an admin clears it or a re-check passes",
    }),
    gate: z.enum(HEALTH_GATE_MODES).openapi({
      description:
        "What the agent checks: `full` (processes, namespaces, links, addresses, routes, sysctls), `processes` (the session's processes only), `off`",
    }),
    checked_at: IsoTimeSchema.nullable(),
    check_every_s: z.number().int().nullable().openapi({ description: "Periodic checks of the idle host; null: only after sessions" }),
    report: JsonObjectSchema.nullable().openapi({
      description: "The last check: `clean`, `differences` (kind, name, detail, cleaned), the sessions it covered, `reason`",
    }),
  })
  .openapi("HostHealth");

export const HostViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    state: z.enum(HOST_STATES),
    online: z.boolean(),
    draining: z.boolean(),
    maintenance: z.boolean(),
    labels: z.record(z.string(), z.string()).openapi({
      description: "What requirements match: the agent's labels with admin overrides on top",
    }),
    agent_labels: z.record(z.string(), z.string()),
    admin_labels: z.record(z.string(), z.string()),
    runtimes: z.array(z.object({ name: z.enum(RUNTIMES), version: z.string().nullable() })),
    capacity: z.number().int(),
    capacity_override: z.number().int().nullable(),
    used: z.number().int().openapi({ description: "Slots held by active sessions" }),
    holders: z.array(z.string()).openapi({ description: "Ids of the active sessions holding this host" }),
    agent_version: z.string(),
    inventory: JsonObjectSchema,
    registered_at: IsoTimeSchema,
    last_seen_at: IsoTimeSchema,
    connected: z.boolean().openapi({ description: "A poll of the host's agent is held open now: the host is alive" }),
    agent_address: z.string().nullable().openapi({
      description: "The address the agent last connected from, as the broker saw it (a proxy's when it goes through one)",
    }),
    admin_reason: z.string().nullable().openapi({ description: "Why the host is draining or in maintenance" }),
    admin_reason_by: z.string().nullable().openapi({ description: "Who drained it or put it in maintenance" }),
    admin_reason_at: IsoTimeSchema.nullable().openapi({ description: "When that was set" }),
    health: HostHealthSchema,
  })
  .openapi("Host");

export type HostView = z.infer<typeof HostViewSchema>;

export function toHostView(host: Host): HostView {
  return {
    id: host.id,
    name: host.name,
    state: hostState(host),
    online: host.online,
    draining: host.draining,
    maintenance: host.maintenance,
    labels: effectiveLabels(host),
    agent_labels: host.agentLabels,
    admin_labels: host.adminLabels,
    runtimes: host.runtimes,
    capacity: effectiveCapacity(host),
    capacity_override: host.adminCapacity,
    used: host.holders.size,
    holders: [...host.holders],
    agent_version: host.agentVersion,
    inventory: host.inventory,
    registered_at: isoTime(host.registeredAt)!,
    last_seen_at: isoTime(host.lastSeenAt)!,
    connected: agentConnected(host),
    agent_address: host.agentAddress,
    admin_reason: host.adminReason,
    admin_reason_by: host.adminReasonBy,
    admin_reason_at: isoTime(host.adminReasonAt),
    health: {
      state: host.healthState,
      gate: healthGateOf(host),
      checked_at: isoTime(host.healthCheckedAt),
      check_every_s: host.healthCheckEveryS,
      report: host.healthReport,
    },
  };
}

export const HostIdParamSchema = z.object({
  id: z.string().min(1).max(253).openapi({ param: { name: "id", in: "path" }, description: "Host id or name" }),
});
