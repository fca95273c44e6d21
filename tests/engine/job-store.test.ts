import { afterEach, expect, test } from "bun:test";
import { BrokerState } from "../../src/engine/broker-state.ts";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { startJob } from "../../src/engine/jobs/start-job.ts";
import { JobStore } from "../../src/engine/jobs/job-store.ts";
import { recordAgentEvents } from "../../src/engine/work/record-agent-events.ts";
import { takeWork } from "../../src/engine/work/take-work.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
afterEach(() => t?.close());

const SPEC = { argv: ["true"], background: false, timeoutMs: 10_000, expectFailure: false, parseJson: false, maxOutputBytes: 1_000 };

test("a job is queued, running once its agent has it, finished with its result; a reload sees only what was committed", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const session = await t.requestSession();
  const { jobs } = t.ctx.state;
  const job = await startJob(t.ctx, session.id, {}, SPEC);
  expect(jobs.stateOf(job)).toBe("queued");
  await takeWork(t.ctx, host, new Set());
  expect(jobs.stateOf(job)).toBe("running");
  expect((await JobStore.load(t.db.orm, t.ctx.state.work)).unfinishedInSession(session.id)).toEqual([job]);

  const result = { state: "finished", passed: true, exitCode: 0, signal: null, timedOut: false, error: null };
  await recordAgentEvents(t.ctx, host, [{ work_id: job.workId, seq: 1, type: "result", ok: true, result }]);
  expect(jobs.stateOf(job)).toBe("finished");
  expect(jobs.get(job.id)).toBeUndefined();
  expect(jobs.unfinishedInSession(session.id)).toEqual([]);
  const reloaded = await BrokerState.load(t.db.orm, t.clock.now());
  expect(reloaded.jobs.unfinishedInSession(session.id)).toEqual([]);
  const [row] = (await t.db.client.execute({ sql: "SELECT outcome, finished_at FROM jobs WHERE id = ?", args: [job.id] })).rows;
  expect(JSON.parse(String(row?.outcome))).toEqual(result);
  expect(Number(row?.finished_at)).toBe(t.clock.now());
});

test("job numbers count per host within a session and go on from the stored ones after a restart", async () => {
  t = await createTestEngine();
  await t.addHost("a");
  await t.addHost("b");
  const session = await t.requestSession([{ role: "left", host: "a" }, { role: "right", host: "b" }]);
  const numbers = async (role: string) => (await startJob(t.ctx, session.id, { role }, SPEC)).number;
  expect([await numbers("left"), await numbers("left"), await numbers("right")]).toEqual([1, 2, 1]);
  t.ctx.state = await BrokerState.load(t.db.orm, t.clock.now());
  expect([await numbers("left"), await numbers("right")]).toEqual([3, 2]);
});

test("an ended session's unfinished jobs are killed with it", async () => {
  t = await createTestEngine();
  const host = await t.addHost("solo");
  const session = await t.requestSession();
  const job = await startJob(t.ctx, session.id, {}, SPEC);
  await endSession(t.ctx, session.id, "released");
  const kills = t.ctx.state.work.openForHost(host.id).filter((item) => item.kind === "kill-job");
  expect(kills.map((item) => item.jobId)).toEqual([job.id]);
});
