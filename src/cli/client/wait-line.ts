import type { WaitStatus } from "../../client/api-types.ts";
import type { StreamReconnect } from "../../client/follow-events.ts";
import type { Clock } from "../../clock.ts";
import type { CommandIo } from "../command.ts";
import { duration } from "./text-table.ts";

const TERMINAL_REDRAW_MS = 1000;
const LOG_REMINDER_MS = 60_000;

export interface WaitLine {
  report(status: WaitStatus, sessionId: string): void;
  lost(reconnect: StreamReconnect): void;
  finish(): void;
}

/**
 * The "still waiting" status on stderr: the session, its place and why, who holds the host it
 * wants, how long it has waited and when it may start. On a terminal one line redrawn in place
 * (every second, so the elapsed time moves); elsewhere (CI logs) a timestamped line when something
 * changes and a "still waiting" line every minute, so a log shows the job is alive without growing fast.
 */
export function waitLine(io: CommandIo, clock: Clock): WaitLine {
  const started = clock.now();
  let status: WaitStatus | undefined;
  let sessionId = "";
  let shown = false;
  let cancelTimer: (() => void) | undefined;
  const stamp = () => `[${new Date(clock.now()).toISOString().replace(/\.\d+Z$/, "Z")}] `;
  const show = (text: string) => {
    io.stderr(io.stderrIsTty ? `\r\x1b[K${text}` : `${stamp()}${text}\n`);
    shown = true;
  };
  const describe = (verb: string) => `session ${sessionId} ${verb} ${duration(clock.now() - started)}: ${statusText(status!, clock.now())}`;
  const tick = () => {
    cancelTimer = clock.setTimer(io.stderrIsTty ? TERMINAL_REDRAW_MS : LOG_REMINDER_MS, () => {
      show(describe(io.stderrIsTty ? "waiting" : "still waiting after"));
      tick();
    });
  };
  return {
    report(next, id) {
      status = next;
      sessionId = id;
      show(describe("waiting"));
      cancelTimer?.();
      tick();
    },
    lost(reconnect) {
      show(
        `session ${sessionId} waiting: lost the broker (${reconnect.reason}), reconnecting in ${
          Math.max(1, Math.round(reconnect.delayMs / 1000))
        } s; the place in the queue is kept`,
      );
    },
    finish() {
      cancelTimer?.();
      cancelTimer = undefined;
      if (shown && io.stderrIsTty) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}

/** `position 1, 1 session ahead; lab-a held by S (nightly) for 14m; estimated start 14:05 UTC (in 12m)` */
function statusText(status: WaitStatus, now: number): string {
  const parts = [`position ${status.position}, ${status.reason}`];
  const [first, ...more] = status.held_by;
  if (first) {
    const who = first.client.name ?? first.client.ci_job_id;
    const since = first.since ? ` for ${duration(now - Date.parse(first.since))}` : "";
    parts.push(
      `${first.host} held by ${first.session_id}${who ? ` (${who})` : ""}${since}${more.length ? ` and ${more.length} more` : ""}`,
    );
  }
  if (status.estimated_start_at) {
    const at = Date.parse(status.estimated_start_at);
    parts.push(`estimated start ${new Date(at).toISOString().slice(11, 16)} UTC (in ${duration(Math.max(0, at - now))})`);
  } else if (!status.unsatisfiable) parts.push("no start estimate yet");
  return parts.join("; ");
}
