import { readFileSync } from "node:fs";
import { LabBroker } from "../../client/broker.ts";
import { resolveBrokerUrl, splitCredentials } from "../../client/environment.ts";
import { LabBrokerError, WaitTimeoutError } from "../../client/errors.ts";
import type { ClientConfig } from "../../config/client-options.ts";
import { DEFAULT_TOKEN_FILE, readSecretFile } from "../../config/token-file.ts";
import { fetchTrusting } from "../../platform/tls-fetch.ts";
import { type CommandIo, ExitCode, UsageError } from "../command.ts";

/**
 * The broker a client command talks to: --broker, LABBROKER_URL, REMOTE_LAB_URL, then
 * http://localhost:8000; and its token: --token / LABBROKER_TOKEN, credentials in the URL,
 * --token-file / LABBROKER_TOKEN_FILE, then ./data/admin-token (the admin token `serve` saved there).
 */
export function connect(config: ClientConfig, env: Record<string, string | undefined>): LabBroker {
  const url = resolveBrokerUrl({ url: config.broker, env });
  const token = config.token ?? (splitCredentials(url).token ? undefined : tokenFromFile(config.tokenFile));
  return new LabBroker({ url, token, ...(config.caFile ? { fetch: fetchTrusting(readFileSync(config.caFile, "utf8")) } : {}) });
}

function tokenFromFile(path: string | undefined): string | undefined {
  if (!path) return readSecretFile(DEFAULT_TOKEN_FILE) ?? undefined;
  const token = readSecretFile(path);
  if (!token) throw new UsageError(`--token-file ${path}: no such file, or it is empty`);
  return token;
}

export function requireSessionId(id: string | undefined): string {
  if (!id) throw new UsageError("no session: pass --session ID or set LABBROKER_SESSION (see 'labbroker session create --shell')");
  return id;
}

export function printJson(io: CommandIo, value: unknown): void {
  io.stdout(JSON.stringify(value, null, 2) + "\n");
}

/**
 * Runs a client command and turns what the SDK throws into one line on stderr and the exit code
 * scripts rely on: 3 when waiting timed out, 130 when interrupted, 1 for anything the broker
 * refused or that failed. Usage errors pass through to the framework (exit 2 with usage).
 */
export async function withClientErrors(
  command: string,
  io: CommandIo,
  signal: AbortSignal,
  action: () => Promise<number>,
): Promise<number> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    if (signal.aborted) {
      io.stderr(`labbroker ${command}: interrupted\n`);
      return ExitCode.interrupted;
    }
    if (!(error instanceof LabBrokerError)) throw error;
    const status = error.status !== null ? ` (${error.status} ${error.title})` : "";
    io.stderr(`labbroker ${command}: ${error.detail}${status}\n`);
    return error instanceof WaitTimeoutError ? ExitCode.timedOut : ExitCode.failed;
  }
}
