/** Environment variables as a plain record; the SDK only reads the ones a caller hands it. */
export type Environment = Record<string, string | undefined>;

export const DEFAULT_BROKER_URL = "http://localhost:8000";

/** The broker URL a caller's environment names: LABBROKER_URL, else REMOTE_LAB_URL (what Remote Lab clients already set). */
export function brokerUrlFrom(env: Environment): string | undefined {
  return env.LABBROKER_URL || env.REMOTE_LAB_URL || undefined;
}

/** An explicit URL wins, then the environment given, then http://localhost:8000. */
export function resolveBrokerUrl(options: { url?: string | undefined; env?: Environment | undefined }): string {
  return options.url || (options.env ? brokerUrlFrom(options.env) : undefined) || DEFAULT_BROKER_URL;
}

/** The process environment, for the `fromEnvironment()` entry points only. */
export function processEnvironment(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}
