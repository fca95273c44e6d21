import { expect, test } from "bun:test";
import { waitLine } from "../../src/cli/client/wait-line.ts";

const waiting = (position: number, reason: string) => ({ position, reason, unsatisfiable: false });

function captured(stderrIsTty: boolean) {
  let stderr = "";
  return { io: { stdout: () => {}, stderr: (text: string) => void (stderr += text), stderrIsTty }, text: () => stderr };
}

test("on a terminal the waiting line is redrawn in place and cleared when the wait is over", () => {
  const { io, text } = captured(true);
  const line = waitLine(io, "session");
  line.report(waiting(2, "2 sessions ahead"));
  line.report(waiting(1, "1 session ahead"));
  line.finish();
  expect(text()).toBe("\r\x1b[Ksession waiting: position 2, 2 sessions ahead\r\x1b[Ksession waiting: position 1, 1 session ahead\r\x1b[K");
});

test("in a log (no terminal) each change is a line of its own and nothing is cleared", () => {
  const { io, text } = captured(false);
  const line = waitLine(io, "session");
  line.report(waiting(1, "1 session ahead"));
  line.report(waiting(0, "all matching hosts are held by active sessions"));
  line.finish();
  expect(text()).toBe("session waiting: position 1, 1 session ahead\nsession waiting: position 0, all matching hosts are held by active sessions\n");
});
