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

/**
 * The URL without credentials, and the token they carried: Remote Lab users put it there
 * (`http://name:TOKEN@broker:8000`), and it must not travel on in printed URLs.
 */
export function splitCredentials(url: string): { url: string; token?: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { url };
  }
  if (!parsed.username && !parsed.password) return { url };
  const token = decodeURIComponent(parsed.password || parsed.username);
  parsed.username = "";
  parsed.password = "";
  return { url: parsed.toString().replace(/\/$/, ""), token };
}

/** An explicit token wins, then LABBROKER_TOKEN from the environment given, then one in the URL. */
export function resolveToken(
  options: { token?: string | undefined; env?: Environment | undefined },
  urlToken: string | undefined,
): string | undefined {
  return options.token || options.env?.LABBROKER_TOKEN || urlToken || undefined;
}

/** The process environment, for the `fromEnvironment()` entry points only. */
export function processEnvironment(): Environment {
  return (globalThis as { process?: { env?: Environment } }).process?.env ?? {};
}
