import { afterEach, beforeEach, expect, test } from "bun:test";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { takeWork } from "../../src/engine/work/take-work.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
beforeEach(async () => {
  t = await createTestEngine();
});
afterEach(() => t.close());

test("a session's end queues the undo of its device changes before its labs' destroy", async () => {
  await t.addHost("solo");
  const session = await t.requestSession([{ host: "solo" }]);
  const lab = await t.acquireSmallLab(session);
  lab.state = "running";
  const host = t.ctx.state.hosts.get(lab.hostId)!;
  await t.ctx.journal.write([t.ctx.state.hostChanges.record({
    sessionId: session.id,
    hostId: host.id,
    undo: { action: "remove-device", netns: null, device: "lbt0" },
    operation: null,
    workId: null,
    restored: false,
    createdAt: t.clock.now(),
  })]);
  const deploying = new Set((await takeWork(t.ctx, host, new Set())).map((work) => work.id));

  await endSession(t.ctx, session.id, "released");
  const queued = (await takeWork(t.ctx, host, deploying)).map((work) => [work.kind, work.payload.operation ?? null]);
  expect(queued).toEqual([
    ["device-op", "restore"],
    ["destroy-lab", null],
  ]);
});
