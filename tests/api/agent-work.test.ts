import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { call, registerHost } from "../support/api-helpers.ts";
import { createTestApp, type TestApp } from "../support/test-broker.ts";

let broker: TestApp;
let agent: { agent_id: string; agent_token: string };
beforeEach(async () => {
  broker = await createTestApp();
  agent = await registerHost(broker, "lab-1");
});
afterEach(async () => {
  await broker.close();
});

const auth = () => ({ authorization: `Bearer ${agent.agent_token}` });
const poll = (running: string[] = [], wait_s = 0) =>
  call(broker, "POST", `/v1/agents/${agent.agent_id}/poll`, { headers: auth(), body: { running, wait_s } });
const sendEvents = (events: unknown[]) =>
  call(broker, "POST", `/v1/agents/${agent.agent_id}/events`, { headers: auth(), body: { events } });
const queueRefresh = async () => (await call(broker, "POST", "/v1/hosts/lab-1/refresh-inventory")).json as { id: string };
const workState = async (id: string) => (await call(broker, "GET", `/v1/work/${id}`)).json;
const outputRows = async () => Number((await broker.db.client.execute("SELECT count(*) AS n FROM work_output")).rows[0]?.n);

describe("work dispatch", () => {
  test("queued work is delivered once, then again only if the agent does not report it running", async () => {
    const work = await queueRefresh();
    const first = await poll();
    expect(first.json.work).toEqual([{
      id: work.id,
      kind: "refresh-inventory",
      protocol_version: 1,
      payload: {},
      session_id: null,
      lab_id: null,
      job_id: null,
      attempt: 1,
    }]);
    expect((await poll([work.id])).json.work).toEqual([]);
    const redelivered = await poll([]);
    expect(redelivered.json.work.map((item: { id: string; attempt: number }) => [item.id, item.attempt])).toEqual([[work.id, 2]]);
  });

  test("a waiting long poll answers as soon as work is queued", async () => {
    const holdTimers = broker.clock.pendingTimers;
    const waiting = poll([], 25);
    while (broker.clock.pendingTimers === holdTimers) await new Promise((resolve) => setImmediate(resolve));
    const work = await queueRefresh();
    const answered = await waiting;
    expect(answered.json.work.map((item: { id: string }) => item.id)).toEqual([work.id]);
  });

  test("output and the result are recorded in order; the result finishes the work and applies it", async () => {
    const work = await queueRefresh();
    await poll();
    const recorded = await sendEvents([
      { work_id: work.id, seq: 1, type: "output", stream: "info", text: "probing" },
      {
        work_id: work.id,
        seq: 2,
        type: "result",
        ok: true,
        result: { runtimes: [{ name: "netlab", version: "26.03" }], inventory: { kernel: "6.1" } },
      },
    ]);
    expect(recorded.json).toEqual({ accepted: 2, duplicates: 0 });
    expect(await workState(work.id)).toMatchObject({ state: "done", attempts: 1, error: null });
    expect((await call(broker, "GET", "/v1/hosts/lab-1")).json.runtimes).toEqual([{ name: "netlab", version: "26.03" }]);
  });

  test("an identical resend is acknowledged as a duplicate and changes nothing", async () => {
    const work = await queueRefresh();
    await poll();
    const events = [{ work_id: work.id, seq: 1, type: "output", stream: "stdout", text: "line" }];
    await sendEvents(events);
    const again = await sendEvents(events);
    expect(again.json).toEqual({ accepted: 0, duplicates: 1 });
    expect(await outputRows()).toBe(1);
  });
});

describe("bad agent events change nothing", () => {
  test("a gap in the sequence is 409 naming the expected seq", async () => {
    const work = await queueRefresh();
    await poll();
    const response = await sendEvents([{ work_id: work.id, seq: 2, type: "output", stream: "stdout", text: "skipped one" }]);
    expect(response.status).toBe(409);
    expect(response.json).toMatchObject({ detail: `Work "${work.id}" expects event seq 1 next, got 2`, expected_seq: 1 });
    expect(await outputRows()).toBe(0);
  });

  test("a different event under a recorded seq is 409, and the valid events of that batch are not applied", async () => {
    const work = await queueRefresh();
    await poll();
    await sendEvents([{ work_id: work.id, seq: 1, type: "output", stream: "stdout", text: "original" }]);
    const response = await sendEvents([
      { work_id: work.id, seq: 1, type: "output", stream: "stdout", text: "rewritten" },
      { work_id: work.id, seq: 2, type: "output", stream: "stdout", text: "next" },
    ]);
    expect(response.status).toBe(409);
    expect(await outputRows()).toBe(1);
  });

  test("anything after the result is 409", async () => {
    const work = await queueRefresh();
    await poll();
    await sendEvents([{ work_id: work.id, seq: 1, type: "result", ok: false, error: "probe failed" }]);
    const response = await sendEvents([{ work_id: work.id, seq: 2, type: "output", stream: "stdout", text: "late" }]);
    expect(response.status).toBe(409);
    expect(await workState(work.id)).toMatchObject({ state: "failed", error: "probe failed" });
  });

  test("another host's work is 404 to this agent, and unknown work too", async () => {
    const other = await registerHost(broker, "lab-2");
    const otherWork = (await call(broker, "POST", "/v1/hosts/lab-2/refresh-inventory")).json as { id: string };
    for (const workId of [otherWork.id, "no-such-work"]) {
      const response = await sendEvents([{ work_id: workId, seq: 1, type: "output", stream: "stdout", text: "x" }]);
      expect(response.status).toBe(404);
    }
    const otherPoll = await call(broker, "POST", `/v1/agents/${other.agent_id}/poll`, { headers: auth(), body: { wait_s: 0 } });
    expect(otherPoll.status).toBe(401);
    expect(await outputRows()).toBe(0);
  });

  test("malformed events are 400", async () => {
    for (
      const events of [[], [{ work_id: "x", seq: 0, type: "output", stream: "stdout", text: "" }], [{
        work_id: "x",
        seq: 1,
        type: "shout",
      }]]
    ) {
      expect((await sendEvents(events)).status).toBe(400);
    }
  });
});
