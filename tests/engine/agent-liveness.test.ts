import { afterEach, describe, expect, test } from "bun:test";
import { recordAgentHeartbeat } from "../../src/engine/agents/agent-heartbeat.ts";
import { registerAgent } from "../../src/engine/agents/register-agent.ts";
import { ConflictError, UnauthorizedError } from "../../src/engine/errors.ts";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { explainWait } from "../../src/engine/sessions/explain-wait.ts";
import { pollForWork } from "../../src/engine/work/take-work.ts";
import { VERSION } from "../../src/version.ts";
import { allowReenrollment } from "../../src/engine/agents/agent-credential.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

let engine: TestEngine;
afterEach(() => engine?.close());

const SECOND = 1000;

/** What an agent's poll does: a heartbeat, then the held wait (which runs on the fake clock). */
async function startPoll(host: Parameters<typeof recordAgentHeartbeat>[1], holdMs: number, closed?: AbortSignal) {
  await recordAgentHeartbeat(engine.ctx, host, "192.0.2.7");
  return pollForWork(engine.ctx, host, new Set(), holdMs, closed);
}

/** Lets the held poll's promise chain settle after the clock moved. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("a host is alive while its agent's poll is held", () => {
  test("a poll held longer than the offline window keeps the host online; the window starts when the poll ends", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 10 * SECOND });
    const host = await engine.addHost("idle");
    const poll = startPoll(host, 25 * SECOND);
    await settle();
    engine.clock.advance(20 * SECOND);
    await runHousekeeping(engine.ctx);
    expect(host.online).toBe(true);
    expect(host.pollsHeld).toBe(1);

    engine.clock.advance(5 * SECOND);
    expect(await poll).toEqual([]);
    expect(host.pollsHeld).toBe(0);
    engine.clock.advance(10 * SECOND);
    await runHousekeeping(engine.ctx);
    expect(host.online).toBe(true);
    engine.clock.advance(1);
    await runHousekeeping(engine.ctx);
    expect(host.online).toBe(false);
  });

  test("a poll whose connection closes ends at once: the host is then only as alive as the window allows", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 10 * SECOND });
    const host = await engine.addHost("killed");
    const closed = new AbortController();
    const poll = startPoll(host, 25 * SECOND, closed.signal);
    await settle();
    engine.clock.advance(3 * SECOND);
    closed.abort();
    expect(await poll).toEqual([]);
    expect(host.pollsHeld).toBe(0);
    expect(host.lastSeenAt).toBe(engine.clock.now());
    engine.clock.advance(10 * SECOND + 1);
    await runHousekeeping(engine.ctx);
    expect(host.online).toBe(false);
  });

  test("the address a poll comes from is recorded", async () => {
    engine = await createTestEngine();
    const host = await engine.addHost("moved");
    await recordAgentHeartbeat(engine.ctx, host, "198.51.100.4");
    expect(host.agentAddress).toBe("198.51.100.4");
  });
});

describe("two installations claiming one host name", () => {
  const register = (installId: string, currentAgentToken?: string) =>
    registerAgent(engine.ctx, {
      name: "vm",
      version: VERSION,
      labels: {},
      runtimes: [],
      capacity: 1,
      inventory: {},
      installId,
      agentAddress: "192.0.2.1",
      currentAgentToken,
    });

  test("the second is refused while the host is online, told to pass --name; the same installation re-attaches", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 10 * SECOND });
    const first = await register("install-aaaaaaaa");
    const refusal = await register("install-bbbbbbbb").catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ConflictError);
    expect((refusal as Error).message).toContain(
      'Host name "vm" belongs to another agent installation that is online (connecting from 192.0.2.1)',
    );
    expect((refusal as Error).message).toContain("--name NAME");
    expect((await register("install-aaaaaaaa", first.agentToken)).host.id).toBe(first.host.id);
  });

  test("once the host is offline another installation may take the name only after an admin released it", async () => {
    engine = await createTestEngine({ agentOfflineAfterMs: 10 * SECOND });
    const first = await register("install-aaaaaaaa");
    engine.clock.advance(10 * SECOND + 1);
    await runHousekeeping(engine.ctx);
    expect(await register("install-bbbbbbbb").catch((error: unknown) => error)).toBeInstanceOf(UnauthorizedError);
    await allowReenrollment(engine.ctx, first.host);
    const second = await register("install-bbbbbbbb");
    expect(second.host.id).toBe(first.host.id);
    expect(second.host.installId).toBe("install-bbbbbbbb");
  });
});

describe("a waiting gang session", () => {
  test("names the held host it waits for while its other role's host is free", async () => {
    engine = await createTestEngine();
    await engine.addHost("lab-a", { labels: { nic: "mlx5" } });
    await engine.addHost("lab-b", { runtimes: ["containerlab"], capacity: 2 });
    await engine.requestSession([{ labels: { nic: "mlx5" } }]);
    const gang = await engine.requestSession([{ runtime: "containerlab" }, { labels: { nic: "mlx5" } }]);
    expect(explainWait(engine.ctx, gang).reason).toBe("m2 needs lab-a, which is held by active sessions");
  });
});
