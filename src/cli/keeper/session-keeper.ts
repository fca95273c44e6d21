import type { LabBroker } from "../../client/broker.ts";
import { LabBrokerError } from "../../client/errors.ts";
import { abortableDelay } from "../../client/timing.ts";
import { isAlive, type WatchedProcess } from "./job-process.ts";

const CHECK_EVERY_MS = 500;
/** How long ending the session is retried while the broker cannot be reached (then its active timeout takes over). */
const END_RETRY_MS = 60_000;

export type KeeperOutcome = "job-ended" | "terminated" | "session-ended";

/**
 * Keeps `sessionId` alive with heartbeats while `watched` (the CI job's process) lives, and ends
 * the session as soon as that process is gone or the keeper is told to stop (`signal`: a job
 * teardown such as Jenkins' process-tree killer). Returns when the session has ended, for whatever reason.
 */
export async function keepSession(
  broker: LabBroker,
  sessionId: string,
  watched: WatchedProcess,
  signal: AbortSignal,
  log: (line: string) => void,
): Promise<KeeperOutcome> {
  const session = await broker.attach(sessionId);
  if (session.state === "ended") return "session-ended";
  log(`keeping session ${sessionId} alive while process ${watched.pid} lives`);
  while (true) {
    if (session.lostBecause) {
      log(`session ${sessionId} ended elsewhere: ${session.lostBecause.detail}`);
      return "session-ended";
    }
    const outcome = signal.aborted ? "terminated" : isAlive(watched) ? null : "job-ended";
    if (outcome) {
      session.detach();
      log(
        outcome === "terminated" ? `stopped: ending session ${sessionId}` : `process ${watched.pid} is gone: ending session ${sessionId}`,
      );
      await endWithRetries(broker, sessionId, log);
      return outcome;
    }
    await abortableDelay(CHECK_EVERY_MS, signal).catch(() => {});
  }
}

async function endWithRetries(broker: LabBroker, sessionId: string, log: (line: string) => void): Promise<void> {
  const giveUpAt = Date.now() + END_RETRY_MS;
  for (let delayMs = 500;; delayMs = Math.min(delayMs * 2, 10_000)) {
    try {
      const ended = await broker.endSession(sessionId);
      log(`session ${sessionId} ended (${ended.end_reason})`);
      return;
    } catch (error) {
      if (error instanceof LabBrokerError && error.code === "not-found") return;
      if (Date.now() + delayMs > giveUpAt) {
        log(
          `could not end session ${sessionId}: ${
            error instanceof LabBrokerError ? error.detail : String(error)
          }; the broker drops it after its active timeout`,
        );
        return;
      }
      await abortableDelay(delayMs);
    }
  }
}
