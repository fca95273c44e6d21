import { afterEach, beforeEach, expect, test } from "bun:test";
import { runHousekeeping } from "../../src/engine/housekeeping.ts";
import { acquireLab } from "../../src/engine/labs/acquire-lab.ts";
import { touchSession } from "../../src/engine/sessions/touch-session.ts";
import { createTestEngine, type TestEngine } from "../support/test-engine.ts";

const OFFLINE_AFTER_MS = 60_000;
const GRACE_MS = 120_000;
const TOPOLOGY = new TextEncoder().encode("name: deadline\ntopology:\n  nodes:\n    a: { kind: linux }\n");

let t: TestEngine;
beforeEach(async () => {
  t = await createTestEngine({ agentOfflineAfterMs: OFFLINE_AFTER_MS, offlineGraceMs: GRACE_MS, activeTimeoutMs: 3_600_000 });
});
afterEach(() => t.close());

/** Moves the clock with the session alive but the host's agent silent, then runs one housekeeping round. */
async function silentFor(ms: number, sessionId: string) {
  t.clock.advance(ms);
  touchSession(t.ctx, sessionId);
  await runHousekeeping(t.ctx);
}

test("a deploy whose host stays offline past the bound fails the lab with the reason; before the bound it waits", async () => {
  await t.addHost("gone");
  const session = await t.requestSession([{ host: "gone" }]);
  const { lab } = await acquireLab(t.ctx, {
    session,
    role: null,
    upload: { topologyFile: "d.clab.yml", topology: TOPOLOGY, extraFiles: [] },
    runtime: null,
    reuse: true,
    remoteLab: false,
  });
  expect(lab.state).toBe("deploying");

  await silentFor(OFFLINE_AFTER_MS + 1, session.id);
  expect(t.ctx.state.hosts.get(lab.hostId)!.online).toBe(false);
  await silentFor(GRACE_MS - 2, session.id);
  expect(t.ctx.state.labs.get(lab.id)!.state).toBe("deploying");

  await silentFor(2, session.id);
  const failed = t.ctx.state.labs.get(lab.id)!;
  expect(failed.state).toBe("failed");
  expect(failed.error).toBe('host "gone" has been offline for 180 s, past the bound of 180 s: the deploy was given up');
  expect(t.ctx.state.work.openForHost(lab.hostId)).toEqual([]);
});
