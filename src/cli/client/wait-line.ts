import type { WaitStatus } from "../../client/api-types.ts";
import type { CommandIo } from "../command.ts";

/**
 * The "still waiting" status on stderr: on a terminal one line redrawn in place, elsewhere (CI
 * logs) a new line only when position or reason change, so logs stay short.
 */
export function waitLine(io: CommandIo, what: string): { report(status: WaitStatus): void; finish(): void } {
  let shown = false;
  return {
    report(status) {
      const text = `${what} waiting: position ${status.position}, ${status.reason}`;
      io.stderr(io.stderrIsTty ? `\r\x1b[K${text}` : `${text}\n`);
      shown = true;
    },
    finish() {
      if (shown && io.stderrIsTty) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}
