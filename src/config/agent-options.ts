import { hostname } from "node:os";
import { z } from "zod";
import { HEALTH_GATE_MODES } from "../protocol/health-gate-modes.ts";
import { HostNameSchema } from "../protocol/host-name.ts";
import { LabelKeySchema } from "../validation/label-key.ts";
import { brokerOptions } from "./broker-options.ts";
import { caFileOption } from "./client-options.ts";
import type { OptionTable, OptionValues } from "./option-spec.ts";
import { absolutePathSchema } from "./paths.ts";
import { keyValueListSchema, secretSchema } from "./value-schemas.ts";

const labelPairsSchema = keyValueListSchema
  .transform((pairs) => Object.fromEntries(pairs.map((pair) => pair.split("=") as [string, string])))
  .pipe(z.record(LabelKeySchema, z.string().max(253)));

/** What describes this host to the broker; `serve` reuses these for its local agent. */
export const hostAgentOptions = {
  name: {
    flag: "name",
    env: "LABBROKER_AGENT_NAME",
    kind: "string",
    placeholder: "NAME",
    description: "Host name in the broker",
    schema: HostNameSchema,
    default: () => hostname().split(".")[0] || "localhost",
    defaultText: "this machine's hostname",
  },
  label: {
    flag: "label",
    env: "LABBROKER_AGENT_LABELS",
    kind: "list",
    placeholder: "KEY=VALUE",
    description: "A label sessions can require",
    schema: labelPairsSchema,
    default: [],
  },
  capacity: {
    flag: "capacity",
    env: "LABBROKER_AGENT_CAPACITY",
    kind: "string",
    placeholder: "N",
    description: "Labs this host runs at once",
    schema: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(
      200,
      "must be at most 200",
    ),
    default: 1,
  },
  workDir: {
    flag: "work-dir",
    env: "LABBROKER_AGENT_WORK_DIR",
    kind: "string",
    placeholder: "DIR",
    description: "Agent state and lab folders",
    schema: absolutePathSchema,
    // Resolved by the schema like a given path.
    default: "./data/agent",
  },
  toolPrefix: {
    flag: "tool-prefix",
    env: "LABBROKER_AGENT_TOOL_PREFIX",
    kind: "string",
    placeholder: "COMMAND",
    description: 'Put before containerlab/netlab calls, e.g. "sudo -n"',
    schema: z.string().transform((text) => text.split(/\s+/).filter(Boolean)),
    default: "",
    defaultText: "none",
  },
  healthGate: {
    flag: "health-gate",
    env: "LABBROKER_AGENT_HEALTH_GATE",
    kind: "string",
    placeholder: "MODE",
    description:
      "Check the host after every session: full (processes, files, namespaces, links, addresses, routes, sysctls), processes (what is the session's for certain: for a host shared with others), or off",
    schema: z.enum(HEALTH_GATE_MODES, { error: `must be one of ${HEALTH_GATE_MODES.join(", ")}` }),
    default: "full",
  },
} satisfies OptionTable;

export const agentOptions = {
  broker: {
    flag: "broker",
    short: "b",
    env: "LABBROKER_BROKER",
    kind: "string",
    placeholder: "URL",
    description: "Broker URL, e.g. http://broker.lab:8000 (required)",
    schema: z.string({ error: "is required: the broker URL" }).url("must be a URL such as http://broker.lab:8000"),
  },
  token: {
    flag: "token",
    short: "t",
    env: "LABBROKER_ENROLL_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description:
      "Enrollment token (needed until the agent has registered once); prefer the variable or --token-file: command lines are visible to every user",
    schema: secretSchema.optional(),
  },
  tokenFile: {
    flag: "token-file",
    env: "LABBROKER_ENROLL_TOKEN_FILE",
    kind: "string",
    placeholder: "FILE",
    description: "Read the enrollment token from this file",
    schema: absolutePathSchema.optional(),
  },
  caFile: caFileOption,
  ...hostAgentOptions,
  logLevel: brokerOptions.logLevel,
} satisfies OptionTable;

export type HostAgentConfig = OptionValues<typeof hostAgentOptions>;

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
