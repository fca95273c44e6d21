import { z } from "zod";
import { offlineAfterProblem } from "../engine/agents/agent-liveness.ts";
import { DEFAULT_ENGINE_SETTINGS as ENGINE } from "../engine/context.ts";
import { ANONYMOUS_POLICIES } from "../engine/access/anonymous-policy.ts";
import { isLoopbackHost } from "../broker-address.ts";
import { DEFAULT_HTTP_LIMITS as HTTP } from "../routes/http-limits.ts";
import { compatRequirementSchema } from "./compat-requirement.ts";
import { databaseOptions } from "./database-options.ts";
import { type OptionTable, optionTableSchema, switchOption } from "./option-spec.ts";
import { absolutePathSchema } from "./paths.ts";
import {
  boundedSecondsSchema,
  countSchema,
  DAY_MS,
  daysSchema,
  logLevelSchema,
  MIB,
  portSchema,
  SECOND_MS,
  secondsSchema,
  secretSchema,
  urlSchema,
} from "./value-schemas.ts";

/**
 * Flags and variables of the broker; `serve` adds the host agent's. The defaults of what the engine
 * and the HTTP layer use are theirs (DEFAULT_ENGINE_SETTINGS, DEFAULT_HTTP_LIMITS) in the units of the
 * flag: the engine ranks below config and must not import it, so the value lives there and once.
 */
export const brokerOptions = {
  port: {
    flag: "port",
    short: "p",
    env: "LABBROKER_PORT",
    kind: "string",
    placeholder: "PORT",
    description: "TCP port to listen on",
    schema: portSchema,
    default: 8000,
  },
  host: {
    flag: "host",
    env: "LABBROKER_HOST",
    kind: "string",
    placeholder: "ADDR",
    description: "Address to bind",
    schema: z.string().min(1),
    default: "0.0.0.0",
  },
  ...databaseOptions,
  logLevel: {
    flag: "log-level",
    env: "LABBROKER_LOG_LEVEL",
    kind: "string",
    placeholder: "LEVEL",
    description: "debug, info, warn or error",
    schema: logLevelSchema,
    default: "info",
  },
  enrollToken: {
    flag: "enroll-token",
    env: "LABBROKER_ENROLL_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "Token agents enroll with",
    schema: secretSchema.optional(),
    defaultText: "generated at first start and printed once",
  },
  waitingTimeout: {
    flag: "waiting-timeout",
    env: "LABBROKER_WAITING_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Drop a waiting session after this long without a request or heartbeat",
    schema: boundedSecondsSchema,
    default: ENGINE.waitingTimeoutMs / SECOND_MS,
  },
  activeTimeout: {
    flag: "active-timeout",
    env: "LABBROKER_ACTIVE_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Drop an active session after this long without a request or heartbeat",
    schema: boundedSecondsSchema,
    default: ENGINE.activeTimeoutMs / SECOND_MS,
  },
  compatRequirement: {
    flag: "compat-requirement",
    env: "LABBROKER_COMPAT_REQUIREMENT",
    kind: "list",
    placeholder: "KEY=VALUE",
    description: "What a Remote Lab session asks for: runtime=R, host=NAME, or a label K=V",
    schema: compatRequirementSchema,
    default: [],
    defaultText: "any host",
  },
  agentOfflineAfter: {
    flag: "agent-offline-after",
    env: "LABBROKER_AGENT_OFFLINE_AFTER",
    kind: "string",
    placeholder: "SECONDS",
    description: "A host whose agent misses polls this long turns offline",
    schema: boundedSecondsSchema.superRefine((value, context) => {
      const problem = offlineAfterProblem(value);
      if (problem) context.addIssue({ code: "custom", message: problem });
    }),
    default: ENGINE.agentOfflineAfterMs / SECOND_MS,
  },
  offlinePolicy: {
    flag: "offline-policy",
    env: "LABBROKER_OFFLINE_POLICY",
    kind: "string",
    placeholder: "keep|fail",
    description: "Sessions on an offline host: keep them flagged, or fail them as host-lost after the grace",
    schema: z.enum(["keep", "fail"]),
    default: ENGINE.offlinePolicy,
  },
  offlineGrace: {
    flag: "offline-grace",
    env: "LABBROKER_OFFLINE_GRACE",
    kind: "string",
    placeholder: "SECONDS",
    description:
      "How long a host may stay offline before its lab deploys and destroys fail and, with --offline-policy fail, its sessions end",
    schema: boundedSecondsSchema,
    default: ENGINE.offlineGraceMs / SECOND_MS,
  },
  defaultWalltime: {
    flag: "default-walltime",
    env: "LABBROKER_DEFAULT_WALLTIME",
    kind: "string",
    placeholder: "SECONDS",
    description: "Walltime of sessions that ask for none, Remote Lab ones included",
    schema: secondsSchema.optional(),
    defaultText: "none",
  },
  maxWalltime: {
    flag: "max-walltime",
    env: "LABBROKER_MAX_WALLTIME",
    kind: "string",
    placeholder: "SECONDS",
    description: "Longest walltime a session may have",
    schema: boundedSecondsSchema,
    default: ENGINE.maxWalltimeMs / SECOND_MS,
    defaultText: "a week",
  },
  walltimeWarning: {
    flag: "walltime-warning",
    env: "LABBROKER_WALLTIME_WARNING",
    kind: "string",
    placeholder: "SECONDS",
    description: "Warn a session this long before its walltime ends",
    schema: boundedSecondsSchema,
    default: ENGINE.walltimeWarningMs / SECOND_MS,
  },
  maxWaiting: {
    flag: "max-waiting",
    env: "LABBROKER_MAX_WAITING",
    kind: "string",
    placeholder: "N",
    description: "Sessions that may wait (queued or reserved) at once; more are refused with 429",
    schema: countSchema,
    default: ENGINE.maxWaitingSessions,
  },
  retentionDays: {
    flag: "retention-days",
    env: "LABBROKER_RETENTION_DAYS",
    kind: "string",
    placeholder: "DAYS",
    description: "Keep events, logs and job output of ended sessions this long",
    schema: daysSchema,
    default: ENGINE.retentionMs / DAY_MS,
  },
  summaryRetentionDays: {
    flag: "summary-retention-days",
    env: "LABBROKER_SUMMARY_RETENTION_DAYS",
    kind: "string",
    placeholder: "DAYS",
    description: "Keep ended sessions with their job results and labs this long",
    schema: daysSchema,
    default: ENGINE.summaryRetentionMs / DAY_MS,
  },
  adminToken: {
    flag: "admin-token",
    env: "LABBROKER_ADMIN_TOKEN",
    kind: "string",
    placeholder: "TOKEN",
    description: "The bootstrap admin's token",
    schema: secretSchema.optional(),
    defaultText: "generated at first start, printed once and saved to admin-token beside the database",
  },
  anonymous: {
    flag: "anonymous",
    env: "LABBROKER_ANONYMOUS",
    kind: "string",
    placeholder: "none|read|user",
    description: "What clients without a token may do: nothing, read like a viewer, or act like a user",
    schema: z.enum(ANONYMOUS_POLICIES),
    default: "none",
  },
  anonymousOnNetwork: switchOption({
    flag: "anonymous-on-network",
    env: "LABBROKER_ANONYMOUS_ON_NETWORK",
    description: "Confirm --anonymous user on an address other hosts reach: anyone there becomes root on every lab host",
  }),
  tlsCert: {
    flag: "tls-cert",
    env: "LABBROKER_TLS_CERT",
    kind: "string",
    placeholder: "FILE",
    description: "Serve HTTPS with this PEM certificate (chain); needs --tls-key",
    schema: absolutePathSchema.optional(),
  },
  tlsKey: {
    flag: "tls-key",
    env: "LABBROKER_TLS_KEY",
    kind: "string",
    placeholder: "FILE",
    description: "The PEM private key of --tls-cert",
    schema: absolutePathSchema.optional(),
  },
  publicUrl: {
    flag: "public-url",
    env: "LABBROKER_PUBLIC_URL",
    kind: "string",
    placeholder: "URL",
    description: "URL other hosts reach the broker at, for the agent command line printed at start",
    schema: urlSchema.optional(),
    defaultText: "the listening address",
  },
  maxStreams: {
    flag: "max-streams",
    env: "LABBROKER_MAX_STREAMS",
    kind: "string",
    placeholder: "N",
    description: "Event streams open at once; more are refused with 503",
    schema: countSchema,
    default: HTTP.maxStreams,
  },
  maxStreamsPerClient: {
    flag: "max-streams-per-client",
    env: "LABBROKER_MAX_STREAMS_PER_CLIENT",
    kind: "string",
    placeholder: "N",
    description: "Event streams one client address may hold open; more are refused with 429",
    schema: countSchema,
    default: HTTP.maxStreamsPerClient,
  },
  maxBodyMemory: {
    flag: "max-body-memory",
    env: "LABBROKER_MAX_BODY_MEMORY",
    kind: "string",
    placeholder: "MIB",
    description: "Request bodies held in memory at once; beyond it requests are refused with 503",
    schema: countSchema,
    default: HTTP.maxBodiesInMemoryBytes / MIB,
  },
  bodyTimeout: {
    flag: "body-timeout",
    env: "LABBROKER_BODY_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "A request body must arrive within this; slower clients are cut with 408",
    schema: boundedSecondsSchema,
    default: HTTP.bodyTimeoutMs / SECOND_MS,
  },
  warmLabsPerHost: {
    flag: "warm-labs-per-host",
    env: "LABBROKER_WARM_LABS_PER_HOST",
    kind: "string",
    placeholder: "N",
    description: "Labs asked for with keep_warm that a host keeps deployed (reset) for the next session; 0 keeps none",
    schema: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(0, "must be at least 0").max(
      100,
      "must be at most 100",
    ),
    default: ENGINE.warmLabsPerHost,
  },
  warmLabTtl: {
    flag: "warm-lab-ttl",
    env: "LABBROKER_WARM_LAB_TTL",
    kind: "string",
    placeholder: "SECONDS",
    description: "How long a warm lab waits for a session that wants it before it is destroyed",
    schema: boundedSecondsSchema,
    default: ENGINE.warmLabTtlMs / SECOND_MS,
  },
  deployTimeout: {
    flag: "deploy-timeout",
    env: "LABBROKER_DEPLOY_TIMEOUT",
    kind: "string",
    placeholder: "SECONDS",
    description: "Bound for a lab deploy on its host; the tool is killed after it",
    schema: boundedSecondsSchema,
    default: ENGINE.labDeployTimeoutMs / SECOND_MS,
  },
} satisfies OptionTable;

/** What single values cannot say: TLS needs both halves, anonymous users on the network need confirming. */
export function checkBrokerConsistency(
  config: { tlsCert?: string | undefined; tlsKey?: string | undefined; anonymous: string; host: string; anonymousOnNetwork: boolean },
  context: z.RefinementCtx,
): void {
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
}

export const brokerConfigSchema = optionTableSchema(brokerOptions).superRefine(checkBrokerConsistency);

export type BrokerConfig = z.infer<typeof brokerConfigSchema>;
