import { hostname } from "node:os";
import { z } from "zod";
import type { OptionSpec } from "./option-spec.ts";
import { HEALTH_GATE_MODES } from "../protocol/health-gate-modes.ts";
import { HostNameSchema } from "../protocol/agent-schemas.ts";
import { LabelKeySchema } from "../routes/sessions/session-schemas.ts";
import { logLevelSchema } from "./broker-options.ts";
import { absolutePathSchema } from "./paths.ts";

/** What describes this host to the broker; `serve` reuses these for its local agent. */
export const hostAgentOptions = {
  name: {
    flag: "name",
    env: "LABBROKER_AGENT_NAME",
    kind: "string",
    placeholder: "NAME",
    description: "Host name in the broker (default: this machine's hostname)",
  },
  label: {
    flag: "label",
    env: "LABBROKER_AGENT_LABELS",
    kind: "list",
    placeholder: "KEY=VALUE",
    description: "A label sessions can require",
  },
  capacity: {
    flag: "capacity",
    env: "LABBROKER_AGENT_CAPACITY",
    kind: "string",
    placeholder: "N",
    description: "Labs this host runs at once (default 1)",
  },
  workDir: {
    flag: "work-dir",
    env: "LABBROKER_AGENT_WORK_DIR",
    kind: "string",
    placeholder: "DIR",
    description: "Agent state and lab folders (default ./data/agent)",
  },
  toolPrefix: {
    flag: "tool-prefix",
    env: "LABBROKER_AGENT_TOOL_PREFIX",
    kind: "string",
    placeholder: "COMMAND",
    description: 'Put before containerlab/netlab calls, e.g. "sudo -n" (default: none)',
  },
  healthGate: {
    flag: "health-gate",
    env: "LABBROKER_AGENT_HEALTH_GATE",
    kind: "string",
    placeholder: "MODE",
    description:
      "Check the host after every session: full (default: processes, files, namespaces, links, addresses, routes, sysctls), processes (what is the session's for certain: for a host shared with others), off",
  },
} satisfies Record<string, OptionSpec>;

export const agentOptions = {
  broker: {
    flag: "broker",
    short: "b",
    env: "LABBROKER_BROKER",
    kind: "string",
    placeholder: "URL",
    description: "Broker URL, e.g. http://broker.lab:8000 (required)",
  },
  token: {
    flag: "token",
    short: "t",
    env: "LABBROKER_ENROLL_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description:
      "Enrollment token (needed until the agent has registered once); prefer the variable or --token-file: command lines are visible to every user",
  },
  tokenFile: {
    flag: "token-file",
    env: "LABBROKER_ENROLL_TOKEN_FILE",
    kind: "string",
    placeholder: "FILE",
    description: "Read the enrollment token from this file",
  },
  caFile: {
    flag: "ca-file",
    env: "LABBROKER_CA_FILE",
    kind: "string",
    placeholder: "FILE",
    description: "Trust the broker's HTTPS certificate issued by this PEM CA (or self-signed)",
  },
  ...hostAgentOptions,
  logLevel: {
    flag: "log-level",
    env: "LABBROKER_LOG_LEVEL",
    kind: "string",
    placeholder: "LEVEL",
    description: "debug, info, warn or error (default info)",
  },
} satisfies Record<string, OptionSpec>;

const labelPairsSchema = z
  .array(z.string().regex(/^[^=\s]+=[^=\s]*$/, "expected KEY=VALUE"))
  .default([])
  .transform((pairs) => Object.fromEntries(pairs.map((pair) => pair.split("=") as [string, string])))
  .pipe(z.record(LabelKeySchema, z.string().max(253)));

export const hostAgentConfigSchema = z.object({
  name: HostNameSchema.default(() => hostname().split(".")[0] || "localhost"),
  label: labelPairsSchema,
  capacity: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(
    200,
    "must be at most 200",
  ).default(1),
  workDir: absolutePathSchema.prefault("./data/agent"),
  toolPrefix: z
    .string()
    .default("")
    .transform((text) => text.split(/\s+/).filter(Boolean)),
  healthGate: z.enum(HEALTH_GATE_MODES, { error: `must be one of ${HEALTH_GATE_MODES.join(", ")}` }).default("full"),
});

export const agentConfigSchema = hostAgentConfigSchema.extend({
  broker: z.string({ error: "is required: the broker URL" }).url("must be a URL such as http://broker.lab:8000"),
  token: z.string().min(16, "must be at least 16 characters").optional(),
  tokenFile: absolutePathSchema.optional(),
  caFile: absolutePathSchema.optional(),
  logLevel: logLevelSchema,
});

export type AgentConfig = z.infer<typeof agentConfigSchema>;
export type HostAgentConfig = z.infer<typeof hostAgentConfigSchema>;

/** The part of runAgent's options that describes this host, shared by `agent` and `serve`. */
export function hostAgentSettings(config: HostAgentConfig) {
  return {
    name: config.name,
    labels: config.label,
    capacity: config.capacity,
    workDir: config.workDir,
    toolPrefix: config.toolPrefix,
    healthGate: config.healthGate,
  };
}
