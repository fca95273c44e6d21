import { afterEach, expect, test } from "bun:test";
import { ConflictError } from "../../src/engine/errors.ts";
import { LabStore } from "../../src/engine/labs/lab-store.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
afterEach(() => t?.close());

async function deployingLab() {
  t = await createTestEngine();
  await t.addHost("solo");
  const session = await t.requestSession([{ host: "solo" }]);
  return { lab: await t.acquireSmallLab(session), session };
}

test("a transition the state machine does not have is refused and changes nothing", async () => {
  const { lab } = await deployingLab();
  const before = structuredClone(lab);
  expect(() => t.ctx.state.labs.transition(lab, "inactive", { holders: [] }, t.clock.now() + 1)).toThrow(ConflictError);
  expect(lab).toEqual(before);
});

test("what the verbs return, once committed, rebuilds the labs the verbs left in memory", async () => {
  const { lab, session } = await deployingLab();
  const labs = t.ctx.state.labs;
  const nodes = [{ name: "a", kind: "linux", state: "running", mgmtIpv4: null, mgmtIpv6: null, raw: {} }];
  await t.ctx.journal.write([labs.transition(lab, "running", { nodes }, 10), labs.setHolders(lab, [session.id, session.id], 11)]);
  expect(lab).toMatchObject({ state: "running", runningAt: 10, runningNodes: nodes, holders: [session.id, session.id], updatedAt: 11 });
  expect((await LabStore.load(t.db.orm)).get(lab.id)).toEqual(lab);

  await t.ctx.journal.write([labs.transition(lab, "stopping", { holders: [] }, 12), labs.transition(lab, "inactive", {}, 13)]);
  expect(labs.get(lab.id)).toBeUndefined();
  expect(labs.onHost(lab.hostId)).toEqual([]);
  expect((await LabStore.load(t.db.orm)).live()).toEqual([]);
});

test("a lab's end is acted on once per broker run", async () => {
  const { lab } = await deployingLab();
  expect([t.ctx.state.labs.actOnEndOnce(lab.id), t.ctx.state.labs.actOnEndOnce(lab.id)]).toEqual([true, false]);
  expect((await LabStore.load(t.db.orm)).actOnEndOnce(lab.id)).toBe(true);
});
