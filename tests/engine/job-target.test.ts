import { afterEach, beforeEach, expect, test } from "bun:test";
import { LockedError, NotFoundError } from "../../src/engine/errors.ts";
import { resolveTarget } from "../../src/engine/jobs/job-target.ts";
import { acquireLab } from "../../src/engine/labs/acquire-lab.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let t: TestEngine;
beforeEach(async () => {
  t = await createTestEngine();
});
afterEach(() => t.close());

const TOPOLOGY = new TextEncoder().encode("name: pair\ntopology:\n  nodes:\n    a: { kind: linux }\n    b: { kind: linux }\n");

test("on a host two sessions share, each reaches its own lab's nodes only; another session's lab is 404 like a missing one", async () => {
  await t.addHost("shared", { capacity: 2 });
  const owner = await t.requestSession([{ host: "shared" }]);
  const other = await t.requestSession([{ host: "shared" }]);
  const waiting = await t.requestSession([{ host: "shared" }]);
  const { lab } = await acquireLab(t.ctx, {
    session: owner,
    role: null,
    upload: { topologyFile: "pair.clab.yml", topology: TOPOLOGY, extraFiles: [] },
    runtime: null,
    reuse: true,
    remoteLab: false,
  });
  lab.state = "running";
  lab.nodes = [{ name: "a", kind: "linux", state: "running", mgmtIpv4: null, mgmtIpv6: null, raw: {} }];

  expect(resolveTarget(t.ctx, owner.id, { labId: lab.id, node: "a" })).toMatchObject({ lab: { id: lab.id }, node: "a", role: "m1" });
  expect(() => resolveTarget(t.ctx, other.id, { labId: lab.id, node: "a" })).toThrow(
    new NotFoundError(`Cannot find lab "${lab.id}" in session "${other.id}"`),
  );
  expect(resolveTarget(t.ctx, other.id, {})).toMatchObject({ host: { name: "shared" }, lab: null });
  expect(() => resolveTarget(t.ctx, waiting.id, {})).toThrow(LockedError);
  lab.holders = [...lab.holders, other.id];
  expect(resolveTarget(t.ctx, other.id, { labId: lab.id, node: "a" })).toMatchObject({ lab: { id: lab.id } });
});
