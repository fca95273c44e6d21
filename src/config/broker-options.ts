import { z } from "zod";
import type { OptionSpec } from "./option-spec.ts";
import { offlineAfterProblem } from "../engine/agents/agent-liveness.ts";
import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from "../engine/context.ts";
import { type RuntimeName, RUNTIMES } from "../protocol/runtimes.ts";
import { LOG_LEVELS } from "../log.ts";
import { ANONYMOUS_POLICIES } from "../engine/access/principal.ts";
import { isLoopbackHost } from "../broker-address.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../routes/http-limits.ts";
import { absoluteFileUrl, absolutePathSchema } from "./paths.ts";

/** Flags and variables of the broker; `serve` and `migrate` reuse parts of this table. */
export const brokerOptions = {
  port: {
    flag: "port",
    short: "p",
    env: "LABBROKER_PORT",
    kind: "string",
    placeholder: "PORT",
    description: "TCP port to listen on (default 8000)",
  },
  host: { flag: "host", env: "LABBROKER_HOST", kind: "string", placeholder: "ADDR", description: "Address to bind (default 0.0.0.0)" },
  db: {
    flag: "db",
    env: "LABBROKER_DB",
    kind: "string",
    placeholder: "URL",
    description: "Database: file:PATH, :memory:, or libsql:// / https:// URL (default file:./data/labbroker.db)",
  },
  dbAuthToken: {
    flag: "db-auth-token",
    env: "LABBROKER_DB_AUTH_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "Auth token for a libSQL server URL",
  },
  dbSync: {
    flag: "db-sync",
    env: "LABBROKER_DB_SYNC",
    kind: "string",
    placeholder: "full|normal",
    description: "Commit durability of a file database: full survives power loss, normal a killed process (default full)",
  },
  logLevel: {
    flag: "log-level",
    env: "LABBROKER_LOG_LEVEL",
    kind: "string",
    placeholder: "LEVEL",
    description: "debug, info, warn or error (default info)",
  },
  enrollToken: {
    flag: "enroll-token",
    env: "LABBROKER_ENROLL_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "Token agents enroll with (default: generated at first start and printed once)",
  },
  waitingTimeout: {
    flag: "waiting-timeout",
    env: "LABBROKER_WAITING_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Drop a waiting session after this long without a request or heartbeat (default 600)",
  },
  activeTimeout: {
    flag: "active-timeout",
    env: "LABBROKER_ACTIVE_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Drop an active session after this long without a request or heartbeat (default 300)",
  },
  compatRequirement: {
    flag: "compat-requirement",
    env: "LABBROKER_COMPAT_REQUIREMENT",
    kind: "list",
    placeholder: "KEY=VALUE",
    description: "What a Remote Lab session asks for: runtime=R, host=NAME, or a label K=V (default: any host)",
  },
  agentOfflineAfter: {
    flag: "agent-offline-after",
    env: "LABBROKER_AGENT_OFFLINE_AFTER",
    kind: "string",
    placeholder: "SECONDS",
    description: "A host whose agent misses polls this long turns offline (default 60)",
  },
  offlinePolicy: {
    flag: "offline-policy",
    env: "LABBROKER_OFFLINE_POLICY",
    kind: "string",
    placeholder: "keep|fail",
    description: "Sessions on an offline host: keep them flagged, or fail them as host-lost after the grace (default keep)",
  },
  offlineGrace: {
    flag: "offline-grace",
    env: "LABBROKER_OFFLINE_GRACE",
    kind: "string",
    placeholder: "SECONDS",
    description:
      "How long a host may stay offline before its lab deploys and destroys fail and, with --offline-policy fail, its sessions end (default 120)",
  },
  defaultWalltime: {
    flag: "default-walltime",
    env: "LABBROKER_DEFAULT_WALLTIME",
    kind: "string",
    placeholder: "SECONDS",
    description: "Walltime of sessions that ask for none, Remote Lab ones included (default: none)",
  },
  maxWalltime: {
    flag: "max-walltime",
    env: "LABBROKER_MAX_WALLTIME",
    kind: "string",
    placeholder: "SECONDS",
    description: "Longest walltime a session may have (default 604800, a week)",
  },
  walltimeWarning: {
    flag: "walltime-warning",
    env: "LABBROKER_WALLTIME_WARNING",
    kind: "string",
    placeholder: "SECONDS",
    description: "Warn a session this long before its walltime ends (default 60)",
  },
  maxWaiting: {
    flag: "max-waiting",
    env: "LABBROKER_MAX_WAITING",
    kind: "string",
    placeholder: "N",
    description: "Sessions that may wait (queued or reserved) at once; more are refused with 429 (default 10000)",
  },
  retentionDays: {
    flag: "retention-days",
    env: "LABBROKER_RETENTION_DAYS",
    kind: "string",
    placeholder: "DAYS",
    description: "Keep events, logs and job output of ended sessions this long (default 30)",
  },
  summaryRetentionDays: {
    flag: "summary-retention-days",
    env: "LABBROKER_SUMMARY_RETENTION_DAYS",
    kind: "string",
    placeholder: "DAYS",
    description: "Keep ended sessions with their job results and labs this long (default 365)",
  },
  warmLabsPerHost: {
    flag: "warm-labs-per-host",
    env: "LABBROKER_WARM_LABS_PER_HOST",
    kind: "string",
    placeholder: "N",
    description: "Labs asked for with keep_warm that a host keeps deployed (reset) for the next session; 0 keeps none (default 2)",
  },
  warmLabTtl: {
    flag: "warm-lab-ttl",
    env: "LABBROKER_WARM_LAB_TTL",
    kind: "string",
    placeholder: "SECONDS",
    description: "How long a warm lab waits for a session that wants it before it is destroyed (default 1800)",
  },
  adminToken: {
    flag: "admin-token",
    env: "LABBROKER_ADMIN_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description:
      "The bootstrap admin's token (default: generated at first start, printed once and saved to admin-token beside the database)",
  },
  anonymous: {
    flag: "anonymous",
    env: "LABBROKER_ANONYMOUS",
    kind: "string",
    placeholder: "none|read|user",
    description: "What clients without a token may do: nothing, read like a viewer, or act like a user (default none)",
  },
  anonymousOnNetwork: {
    flag: "anonymous-on-network",
    env: "LABBROKER_ANONYMOUS_ON_NETWORK",
    kind: "boolean",
    description: "Confirm --anonymous user on an address other hosts reach: anyone there becomes root on every lab host",
  },
  tlsCert: {
    flag: "tls-cert",
    env: "LABBROKER_TLS_CERT",
    kind: "string",
    placeholder: "FILE",
    description: "Serve HTTPS with this PEM certificate (chain); needs --tls-key",
  },
  tlsKey: {
    flag: "tls-key",
    env: "LABBROKER_TLS_KEY",
    kind: "string",
    placeholder: "FILE",
    description: "The PEM private key of --tls-cert",
  },
  publicUrl: {
    flag: "public-url",
    env: "LABBROKER_PUBLIC_URL",
    kind: "string",
    placeholder: "URL",
    description: "URL other hosts reach the broker at, for the agent command line printed at start (default: the listening address)",
  },
  maxStreams: {
    flag: "max-streams",
    env: "LABBROKER_MAX_STREAMS",
    kind: "string",
    placeholder: "N",
    description: "Event streams open at once; more are refused with 503 (default 4000)",
  },
  maxStreamsPerClient: {
    flag: "max-streams-per-client",
    env: "LABBROKER_MAX_STREAMS_PER_CLIENT",
    kind: "string",
    placeholder: "N",
    description: "Event streams one client address may hold open; more are refused with 429 (default 200)",
  },
  maxBodyMemory: {
    flag: "max-body-memory",
    env: "LABBROKER_MAX_BODY_MEMORY",
    kind: "string",
    placeholder: "MIB",
    description: "Request bodies held in memory at once; beyond it requests are refused with 503 (default 64)",
  },
  bodyTimeout: {
    flag: "body-timeout",
    env: "LABBROKER_BODY_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "A request body must arrive within this; slower clients are cut with 408 (default 60)",
  },
  deployTimeout: {
    flag: "deploy-timeout",
    env: "LABBROKER_DEPLOY_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Bound for a lab deploy on its host; the tool is killed after it (default 1200)",
  },
} satisfies Record<string, OptionSpec>;

const SERVER_URL = /^(libsql|https?|wss?):\/\/\S+$/;

/** Accepts `:memory:`, `file:` URLs, server URLs, and plain paths (turned into absolute `file:` URLs). */
export const databaseUrlSchema = z
  .string()
  .min(1, "must not be empty")
  .refine((value) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || SERVER_URL.test(value) || value.startsWith("file:"), {
    message: "expected :memory:, file:PATH, a path, or a libsql://, http(s):// or ws(s):// URL",
  })
  .transform((
    value,
  ) => (value === ":memory:" || SERVER_URL.test(value) ? value : absoluteFileUrl(value.startsWith("file:") ? value : `file:${value}`)));

export const databaseConfigSchema = z.object({
  // prefault: the default goes through the transform too, so it becomes absolute like a given path.
  db: databaseUrlSchema.prefault("file:./data/labbroker.db"),
  dbAuthToken: z.string().min(1).optional(),
  dbSync: z.enum(["full", "normal"]).default("full"),
});

export const logLevelSchema = z.enum(LOG_LEVELS).default("info");

const seconds = (fallback: number) =>
  z.coerce.number({ error: "must be a number of seconds" }).positive("must be more than 0 seconds").max(
    31_536_000,
    "must be at most a year",
  ).default(fallback);

const days = (fallback: number) =>
  z.coerce.number({ error: "must be a number of days" }).positive("must be more than 0 days").max(36_500, "must be at most 100 years")
    .default(fallback);

const count = (fallback: number) =>
  z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1, "must be at least 1").max(
    1_000_000,
    "must be at most 1000000",
  ).default(fallback);

/** `runtime=netlab`, `host=lab-3`, anything else a label. */
export const compatRequirementSchema = z
  .array(z.string().regex(/^[^=\s]+=[^=\s]*$/, "expected KEY=VALUE"))
  .default([])
  .transform((pairs, context) => {
    const requirement = { labels: {} as Record<string, string>, runtime: null as RuntimeName | null, host: null as string | null };
    for (const pair of pairs) {
      const [key, value] = pair.split("=") as [string, string];
      if (key === "runtime") {
        if (!(RUNTIMES as readonly string[]).includes(value)) {
          context.addIssue({ code: "custom", message: `runtime must be one of ${RUNTIMES.join(", ")}` });
          return z.NEVER;
        }
        requirement.runtime = value as RuntimeName;
      } else if (key === "host") requirement.host = value;
      else requirement.labels[key] = value;
    }
    return requirement;
  });

const secretSchema = z.string().min(16, "must be at least 16 characters");

export const brokerConfigSchema = databaseConfigSchema
  .extend({
    enrollToken: secretSchema.optional(),
    adminToken: secretSchema.optional(),
    anonymous: z.enum(ANONYMOUS_POLICIES).default("none"),
    anonymousOnNetwork: z.boolean().default(false),
    tlsCert: absolutePathSchema.optional(),
    tlsKey: absolutePathSchema.optional(),
    waitingTimeout: seconds(600),
    activeTimeout: seconds(300),
    compatRequirement: compatRequirementSchema,
    agentOfflineAfter: seconds(60).superRefine((value, context) => {
      const problem = offlineAfterProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
    offlinePolicy: z.enum(["keep", "fail"]).default("keep"),
    offlineGrace: seconds(120),
    deployTimeout: seconds(1200),
    defaultWalltime: z.coerce.number({ error: "must be a number of seconds" }).positive("must be more than 0 seconds").optional(),
    maxWalltime: seconds(604_800),
    walltimeWarning: seconds(60),
    maxWaiting: count(10_000),
    maxStreams: count(4_000),
    maxStreamsPerClient: count(200),
    maxBodyMemory: count(64),
    bodyTimeout: seconds(60),
    retentionDays: days(30),
    summaryRetentionDays: days(365),
    warmLabsPerHost: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be at least 0").max(
      100,
      "must be at most 100",
    ).default(2),
    warmLabTtl: seconds(1800),
    port: z.coerce.number({ error: "must be a port number from 0 to 65535" }).int("must be a port number from 0 to 65535").min(
      0,
      "must be a port number from 0 to 65535",
    ).max(65535, "must be a port number from 0 to 65535").default(8000),
    host: z.string().min(1).default("0.0.0.0"),
    publicUrl: z.string().url("must be a URL such as http://broker.lab:8000").optional(),
    logLevel: logLevelSchema,
  })
  .superRefine((config, context) => {
    if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) {
      context.addIssue({
        code: "custom",
        path: [config.tlsCert ? "tlsKey" : "tlsCert"],
        message: "HTTPS needs both --tls-cert and --tls-key",
      });
    }
    // Told twice: anonymous users on the network are root on every lab host for anyone who reaches the port.
    if (config.anonymous === "user" && !isLoopbackHost(config.host) && !config.anonymousOnNetwork) {
      context.addIssue({
        code: "custom",
        path: ["anonymous"],
        message:
          `"user" on ${config.host} lets anyone who reaches the port run commands as root on every lab host; bind --host 127.0.0.1, or confirm with --anonymous-on-network`,
      });
    }
  });

export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
export type DatabaseConfig = z.infer<typeof databaseConfigSchema>;

/** The engine's settings from the broker configuration. */
export function engineSettingsFrom(config: BrokerConfig): EngineSettings {
  return {
    ...DEFAULT_ENGINE_SETTINGS,
    waitingTimeoutMs: config.waitingTimeout * 1000,
    activeTimeoutMs: config.activeTimeout * 1000,
    agentOfflineAfterMs: config.agentOfflineAfter * 1000,
    offlinePolicy: config.offlinePolicy,
    offlineGraceMs: config.offlineGrace * 1000,
    compatRequirement: config.compatRequirement,
    labDeployTimeoutMs: config.deployTimeout * 1000,
    defaultWalltimeMs: config.defaultWalltime === undefined ? null : config.defaultWalltime * 1000,
    maxWalltimeMs: config.maxWalltime * 1000,
    walltimeWarningMs: config.walltimeWarning * 1000,
    maxWaitingSessions: config.maxWaiting,
    retentionMs: config.retentionDays * 86_400_000,
    summaryRetentionMs: Math.max(config.summaryRetentionDays, config.retentionDays) * 86_400_000,
    warmLabsPerHost: config.warmLabsPerHost,
    warmLabTtlMs: config.warmLabTtl * 1000,
  };
}

/** The HTTP bounds from the broker configuration. */
export function httpLimitsFrom(config: BrokerConfig): HttpLimits {
  return {
    ...DEFAULT_HTTP_LIMITS,
    maxStreams: config.maxStreams,
    maxStreamsPerClient: config.maxStreamsPerClient,
    maxBodiesInMemoryBytes: config.maxBodyMemory * 1024 * 1024,
    bodyTimeoutMs: config.bodyTimeout * 1000,
  };
}
