import { CommandFailedError, runChecked, runCommand, type RunResult } from "../command-runner.ts";
import { type HostErrorReason, HostRequestError } from "../host-errors.ts";
import { describePlace } from "../network-namespace.ts";

/** Bound for one `ip`, `ethtool` or sysctl call: they answer in milliseconds unless the host is stuck. */
const DEVICE_COMMAND_TIMEOUT_MS = 15_000;

/** Runs `ip [-n NETNS] ARGS…` and returns its stdout; a failure throws CommandFailedError. */
export async function runIp(netns: string | null, args: readonly string[]): Promise<string> {
  const result = await runChecked(["ip", ...(netns === null ? [] : ["-n", netns]), ...args], { timeoutMs: DEVICE_COMMAND_TIMEOUT_MS });
  return result.stdout;
}

/** Runs another program (ethtool, cat, tee) on the host or inside the namespace; never throws for its exit code. */
export function runInPlace(netns: string | null, argv: readonly string[], stdinText?: string): Promise<RunResult> {
  return runCommand(argv, { timeoutMs: DEVICE_COMMAND_TIMEOUT_MS, netns: netns ?? undefined, stdinText });
}

/**
 * Runs one `ip` change. The request was validated before, so a refusal here is a race or a limit
 * of this kernel; refusals that are about the request still become HostRequestError.
 */
export async function changeWithIp(netns: string | null, args: readonly string[], what: string): Promise<void> {
  try {
    await runIp(netns, args);
  } catch (error) {
    throw explainFailure(error, `${what} ${describePlace(netns)}`);
  }
}

const REFUSALS: [RegExp, HostErrorReason][] = [
  [/Unknown device type|not supported/i, "unsupported"],
  [/File exists|already assigned/i, "conflict"],
  [/does not exist|Cannot find device|No such device|Address not found/i, "not-found"],
  [/Invalid argument|greater than|less than|out of range/i, "invalid"],
];

/** "Cannot <what>: <the tool's last error line>", as a HostRequestError when the tool refused the request itself. */
export function explainFailure(error: unknown, what: string): Error {
  if (!(error instanceof CommandFailedError)) return error instanceof Error ? error : new Error(String(error));
  const lines = (error.result.stderr.trim() || error.result.stdout.trim()).split("\n");
  const detail = (lines[lines.length - 1] ?? "").replace(/^(Error: |RTNETLINK answers: )/, "").replace(/\.$/, "");
  const reason = REFUSALS.find(([pattern]) => pattern.test(detail))?.[1];
  const message = `Cannot ${what}: ${detail || `exited with code ${error.result.code}`}`;
  return reason ? new HostRequestError(reason, message) : new Error(message, { cause: error });
}
