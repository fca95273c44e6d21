import type { WaitStatus } from "../../client/api-types.ts";
import type { StreamReconnect } from "../../client/follow-events.ts";
import type { CommandIo } from "../command.ts";

/**
 * The "still waiting" status on stderr: on a terminal one line redrawn in place, elsewhere (CI
 * logs) a new line only when position or reason change, so logs stay short.
 */
export function waitLine(io: CommandIo, what: string): { report(status: WaitStatus): void; lost(reconnect: StreamReconnect): void; finish(): void } {
  let shown = false;
  const show = (text: string) => {
    io.stderr(io.stderrIsTty ? `\r\x1b[K${text}` : `${text}\n`);
    shown = true;
  };
  return {
    report(status) {
      show(`${what} waiting: position ${status.position}, ${status.reason}`);
    },
    lost(reconnect) {
      show(`${what} waiting: lost the broker (${reconnect.reason}), reconnecting in ${Math.max(1, Math.round(reconnect.delayMs / 1000))} s; the place in the queue is kept`);
    },
    finish() {
      if (shown && io.stderrIsTty) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}
