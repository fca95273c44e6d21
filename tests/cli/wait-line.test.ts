import { expect, test } from "bun:test";
import { waitLine } from "../../src/cli/client/wait-line.ts";
import type { WaitStatus } from "../../src/client/api-types.ts";
import { FakeClock } from "../support/fake-clock.ts";

const clock = () => new FakeClock(Date.UTC(2026, 0, 1, 12, 0, 0));
const holder = { host: "lab-a", session_id: "s-holder", client: { name: "nightly" }, since: "2026-01-01T11:46:00.000Z" };
const waiting = (position: number, reason: string, extra: Partial<WaitStatus> = {}): WaitStatus => ({
  position,
  reason,
  unsatisfiable: false,
  estimated_start_at: "2026-01-01T12:05:00.000Z",
  held_by: [holder],
  ...extra,
});

function captured(stderrIsTty: boolean) {
  let stderr = "";
  return { io: { stdout: () => {}, stderr: (text: string) => void (stderr += text), stderrIsTty }, text: () => stderr };
}

test("on a terminal the line names the session, the holder, the elapsed time and the estimate, and is redrawn in place every second", () => {
  const time = clock();
  const { io, text } = captured(true);
  const line = waitLine(io, time);
  line.report(waiting(1, "1 session ahead"), "s-mine");
  time.advance(1000);
  line.report(
    waiting(0, "all matching hosts are held by active sessions", {
      held_by: [holder, { ...holder, host: "lab-b", session_id: "s-other" }],
    }),
    "s-mine",
  );
  line.finish();
  expect(text()).toBe(
    "\r\x1b[Ksession s-mine waiting 0s: position 1, 1 session ahead; lab-a held by s-holder (nightly) for 14m 00s; estimated start 12:05 UTC (in 5m 00s)" +
      "\r\x1b[Ksession s-mine waiting 1s: position 1, 1 session ahead; lab-a held by s-holder (nightly) for 14m 01s; estimated start 12:05 UTC (in 4m 59s)" +
      "\r\x1b[Ksession s-mine waiting 1s: position 0, all matching hosts are held by active sessions; lab-a held by s-holder (nightly) for 14m 01s and 1 more; estimated start 12:05 UTC (in 4m 59s)" +
      "\r\x1b[K",
  );
  expect(time.pendingTimers).toBe(0);
});

test("in a log (no terminal) changes are timestamped lines, and a 'still waiting' line follows every minute until the wait is over", () => {
  const time = clock();
  const { io, text } = captured(false);
  const line = waitLine(io, time);
  line.report(waiting(1, "1 session ahead", { estimated_start_at: null, held_by: [] }), "s-mine");
  time.advance(59_000);
  expect(text().split("\n").length).toBe(2);
  time.advance(1000);
  line.report(waiting(0, "all matching hosts are held by active sessions"), "s-mine");
  time.advance(120_000);
  line.finish();
  time.advance(600_000);
  expect(text()).toBe(
    [
      "[2026-01-01T12:00:00Z] session s-mine waiting 0s: position 1, 1 session ahead; no start estimate yet",
      "[2026-01-01T12:01:00Z] session s-mine still waiting after 1m 00s: position 1, 1 session ahead; no start estimate yet",
      "[2026-01-01T12:01:00Z] session s-mine waiting 1m 00s: position 0, all matching hosts are held by active sessions; lab-a held by s-holder (nightly) for 15m 00s; estimated start 12:05 UTC (in 4m 00s)",
      "[2026-01-01T12:02:00Z] session s-mine still waiting after 2m 00s: position 0, all matching hosts are held by active sessions; lab-a held by s-holder (nightly) for 16m 00s; estimated start 12:05 UTC (in 3m 00s)",
      "[2026-01-01T12:03:00Z] session s-mine still waiting after 3m 00s: position 0, all matching hosts are held by active sessions; lab-a held by s-holder (nightly) for 17m 00s; estimated start 12:05 UTC (in 2m 00s)",
      "",
    ].join("\n"),
  );
});

test("an unsatisfiable wait says why without promising an estimate", () => {
  const { io, text } = captured(false);
  waitLine(io, clock()).report(
    waiting(0, "no registered host has runtime netlab", { unsatisfiable: true, estimated_start_at: null, held_by: [] }),
    "s-x",
  );
  expect(text()).toBe("[2026-01-01T12:00:00Z] session s-x waiting 0s: position 0, no registered host has runtime netlab\n");
});
