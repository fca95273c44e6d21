import { afterEach, describe, expect, test } from "bun:test";
import { endSession } from "../../src/engine/sessions/end-session.ts";
import { updateHost } from "../../src/engine/hosts/update-host.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let engine: TestEngine;
afterEach(async () => {
  await engine?.close();
});

describe("gang matching", () => {
  test("three roles with labels land on distinct matching hosts at once", async () => {
    engine = await createTestEngine();
    await engine.addHost("frr-1", { labels: { nos: "frr" } });
    await engine.addHost("frr-2", { labels: { nos: "frr" } });
    await engine.addHost("tgen-1", { labels: { role: "traffic" } });
    const session = await engine.requestSession([
      { role: "r1", labels: { nos: "frr" } },
      { role: "r2", labels: { nos: "frr" } },
      { role: "gen", labels: { role: "traffic" } },
    ]);
    expect(session.state).toBe("active");
    const assigned = engine.assignedNames(session.id);
    expect(new Set([assigned.r1, assigned.r2])).toEqual(new Set(["frr-1", "frr-2"]));
    expect(assigned.gen).toBe("tgen-1");
  });

  test("no partial holds: a two-host session waits while only one matching host is free", async () => {
    engine = await createTestEngine();
    await engine.addHost("a");
    await engine.addHost("b");
    const first = await engine.requestSession([{}]);
    const pair = await engine.requestSession([{}, {}]);
    expect(first.state).toBe("active");
    expect(pair.state).toBe("waiting");
    expect(pair.assignments).toBeNull();
    await endSession(engine.ctx, first.id, "released");
    expect(pair.state).toBe("active");
    expect(new Set(Object.values(engine.assignedNames(pair.id)))).toEqual(new Set(["a", "b"]));
  });

  test("the most constrained role is placed first so a gang that fits is found", async () => {
    engine = await createTestEngine();
    await engine.addHost("generic");
    await engine.addHost("special", { labels: { nic: "mlx5" } });
    const session = await engine.requestSession([{ role: "any" }, { role: "fast", labels: { nic: "mlx5" } }]);
    expect(engine.assignedNames(session.id)).toEqual({ any: "generic", fast: "special" });
  });
});

describe("queue order", () => {
  test("FIFO: a freed host goes to the earliest waiting session", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const holder = await engine.requestSession();
    const second = await engine.requestSession();
    const third = await engine.requestSession();
    await endSession(engine.ctx, holder.id, "released");
    expect(second.state).toBe("active");
    expect(third.state).toBe("waiting");
  });

  test("higher priority goes first; equal priority keeps arrival order", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const holder = await engine.requestSession();
    const low = await engine.requestSession([{}], { priority: 0 });
    const high = await engine.requestSession([{}], { priority: 5 });
    const highLater = await engine.requestSession([{}], { priority: 5 });
    await endSession(engine.ctx, holder.id, "released");
    expect(high.state).toBe("active");
    await endSession(engine.ctx, high.id, "released");
    expect(highLater.state).toBe("active");
    await endSession(engine.ctx, highLater.id, "released");
    expect(low.state).toBe("active");
  });

  test("no starvation: later one-host sessions never take hosts an earlier two-host session waits for", async () => {
    engine = await createTestEngine();
    await engine.addHost("a");
    await engine.addHost("b");
    const blockerA = await engine.requestSession([{ host: "a" }]);
    const pair = await engine.requestSession([{}, {}]);
    const later = [];
    for (let index = 0; index < 5; index++) later.push(await engine.requestSession([{}]));
    // b is free, but the pair ahead can use it: nobody behind the pair may take it.
    expect(pair.state).toBe("waiting");
    expect(later.every((session) => session.state === "waiting")).toBe(true);
    await endSession(engine.ctx, blockerA.id, "released");
    expect(pair.state).toBe("active");
    expect(later.every((session) => session.state === "waiting")).toBe(true);
  });

  test("a later session may overtake on hosts the earlier one cannot use", async () => {
    engine = await createTestEngine();
    await engine.addHost("netlab-1", { runtimes: ["netlab"] });
    await engine.addHost("native-1", { runtimes: ["native"] });
    const holder = await engine.requestSession([{ runtime: "netlab" }]);
    const wantsNetlab = await engine.requestSession([{ runtime: "netlab" }]);
    const wantsNative = await engine.requestSession([{ runtime: "native" }]);
    expect(holder.state).toBe("active");
    expect(wantsNetlab.state).toBe("waiting");
    expect(wantsNative.state).toBe("active");
  });
});

describe("host capacity and state", () => {
  test("a host with capacity 2 holds two sessions", async () => {
    engine = await createTestEngine();
    await engine.addHost("big", { capacity: 2 });
    const one = await engine.requestSession();
    const two = await engine.requestSession();
    const three = await engine.requestSession();
    expect([one.state, two.state, three.state]).toEqual(["active", "active", "waiting"]);
  });

  test("but one session's roles always get distinct hosts", async () => {
    engine = await createTestEngine();
    await engine.addHost("big", { capacity: 4 });
    const pair = await engine.requestSession([{}, {}]);
    expect(pair.state).toBe("waiting");
  });

  test("a draining host keeps its session and takes no new one; undrained it does", async () => {
    engine = await createTestEngine();
    await engine.addHost("only", { capacity: 2 });
    const current = await engine.requestSession();
    await updateHost(engine.ctx, "only", { drain: true });
    const next = await engine.requestSession();
    expect(current.state).toBe("active");
    expect(next.state).toBe("waiting");
    await updateHost(engine.ctx, "only", { drain: false });
    expect(next.state).toBe("active");
  });

  test("a newly registered host activates waiting sessions at once", async () => {
    engine = await createTestEngine();
    const waiting = await engine.requestSession([{ labels: { site: "lab2" } }]);
    expect(waiting.state).toBe("waiting");
    await engine.addHost("lab2-host", { labels: { site: "lab2" } });
    expect(waiting.state).toBe("active");
  });

  test("an admin capacity override frees a slot at once", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    await engine.requestSession();
    const second = await engine.requestSession();
    await updateHost(engine.ctx, "only", { capacity: 2 });
    expect(second.state).toBe("active");
  });
});

describe("idempotency", () => {
  test("the same key returns the same session, even after it ended", async () => {
    engine = await createTestEngine();
    await engine.addHost("only");
    const first = await engine.requestSession([{}], { idempotencyKey: "ci-job-42" });
    const retry = await engine.requestSession([{}], { idempotencyKey: "ci-job-42" });
    expect(retry.id).toBe(first.id);
    expect(engine.ctx.state.sessions.liveCount).toBe(1);
    await endSession(engine.ctx, first.id, "released");
    const late = await engine.requestSession([{}], { idempotencyKey: "ci-job-42" });
    expect(late.id).toBe(first.id);
    expect(late.state).toBe("ended");
  });
});
