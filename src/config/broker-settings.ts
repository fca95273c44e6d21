import { DEFAULT_ENGINE_SETTINGS, type EngineSettings } from "../engine/context.ts";
import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../routes/http-limits.ts";
import type { BrokerConfig } from "./broker-options.ts";
import { DAY_MS, MIB, SECOND_MS } from "./value-schemas.ts";

/** The engine's settings from the broker configuration. */
export function engineSettingsFrom(config: BrokerConfig): EngineSettings {
  return {
    ...DEFAULT_ENGINE_SETTINGS,
    waitingTimeoutMs: config.waitingTimeout * SECOND_MS,
    activeTimeoutMs: config.activeTimeout * SECOND_MS,
    agentOfflineAfterMs: config.agentOfflineAfter * SECOND_MS,
    offlinePolicy: config.offlinePolicy,
    offlineGraceMs: config.offlineGrace * SECOND_MS,
    compatRequirement: config.compatRequirement,
    labDeployTimeoutMs: config.deployTimeout * SECOND_MS,
    warmLabsPerHost: config.warmLabsPerHost,
    warmLabTtlMs: config.warmLabTtl * SECOND_MS,
    defaultWalltimeMs: config.defaultWalltime === undefined ? null : config.defaultWalltime * SECOND_MS,
    maxWalltimeMs: config.maxWalltime * SECOND_MS,
    walltimeWarningMs: config.walltimeWarning * SECOND_MS,
    maxWaitingSessions: config.maxWaiting,
    retentionMs: config.retentionDays * DAY_MS,
    summaryRetentionMs: Math.max(config.summaryRetentionDays, config.retentionDays) * DAY_MS,
  };
}

/** The HTTP bounds from the broker configuration. */
export function httpLimitsFrom(config: BrokerConfig): HttpLimits {
  return {
    ...DEFAULT_HTTP_LIMITS,
    maxStreams: config.maxStreams,
    maxStreamsPerClient: config.maxStreamsPerClient,
    maxBodiesInMemoryBytes: config.maxBodyMemory * MIB,
    bodyTimeoutMs: config.bodyTimeout * SECOND_MS,
  };
}
