import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { LabBroker } from "../../src/client/broker.ts";
import { type SuiteHooks, useLab, useSession } from "../../src/client/testing.ts";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot, NEEDS_ROOT } from "../support/native-labs.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";

const LINE3 = uniquelyNamed(readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8"));

/** Suite hooks recorded instead of registered, so each test drives setup and teardown itself. */
function recordedHooks() {
  const recorded: { before: (() => Promise<void>)[]; after: (() => Promise<void>)[]; timeouts: (number | undefined)[] } = {
    before: [],
    after: [],
    timeouts: [],
  };
  const hooks: SuiteHooks = {
    beforeAll: (fn, timeoutMs) => void (recorded.before.push(fn), recorded.timeouts.push(timeoutMs)),
    afterAll: (fn, timeoutMs) => void (recorded.after.push(fn), recorded.timeouts.push(timeoutMs)),
  };
  return {
    hooks,
    setUp: () => Promise.all(recorded.before.map((fn) => fn())),
    tearDown: () => Promise.all(recorded.after.map((fn) => fn())),
    recorded,
  };
}

const cluster = new LabCluster();
let broker: LabBroker;
beforeAll(async () => {
  await cluster.startBroker();
  await cluster.startAgent({ name: "fixture-host" });
  broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
});
afterAll(() => cluster.stop());

describe("suite fixtures", () => {
  test("acquires in beforeAll from the URL in REMOTE_LAB_URL, ends in afterAll, and says clearly when used too early", async () => {
    const { hooks, setUp, tearDown, recorded } = recordedHooks();
    const fixture = useSession(hooks, {
      env: { REMOTE_LAB_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN },
      client: { name: "fixture" },
      setupTimeoutS: 60,
    });
    expect(() => fixture.session).toThrow("The labbroker session is not ready: it is acquired in beforeAll and released in afterAll");
    expect(recorded.timeouts[0]).toBe(90_000);

    await setUp();
    const { id } = fixture.session;
    expect(fixture.session.state).toBe("active");
    expect((await fixture.host().run(["true"])).passed).toBe(true);
    await tearDown();
    expect(await broker.getSession(id)).toMatchObject({ state: "ended", end_reason: "released" });
    expect(() => fixture.host()).toThrow("not ready");
  }, 20_000);

  test("a lab that cannot be set up fails beforeAll with the broker's reason and releases the session right away", async () => {
    const { hooks, setUp, tearDown } = recordedHooks();
    // A runtime the host does not have: refused when the lab is requested, after the session was acquired.
    const fixture = useLab(hooks, { broker, env: {}, topology: LINE3, runtime: "netlab", client: { name: "doomed-lab" } });
    const error = await setUp().then(() => undefined, (caught: unknown) => caught);
    expect(String(error)).toContain("netlab");
    expect((await broker.sessions({ state: "ended", limit: 1 }))[0]).toMatchObject({
      client: { name: "doomed-lab" },
      end_reason: "released",
    });
    expect(await broker.sessions()).toEqual([]);
    expect(() => fixture.lab).toThrow("The lab is not ready");
    await tearDown();
  }, 20_000);
});

describe("joining the session of a CI job (LABBROKER_SESSION)", () => {
  test("the suite works in that session instead of queueing behind it, and leaves it running", async () => {
    const ciSession = await broker.session({ client: { name: "ci-job" } });
    ciSession.detach();
    const { hooks, setUp, tearDown } = recordedHooks();
    const fixture = useSession(hooks, {
      env: { LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN, LABBROKER_SESSION: ciSession.id },
    });
    await setUp();
    expect(fixture.session.id).toBe(ciSession.id);
    expect((await fixture.host().run(["true"])).passed).toBe(true);
    await tearDown();
    expect((await broker.getSession(ciSession.id)).state).toBe("active");
    expect((await broker.sessions()).map((session) => session.id)).toEqual([ciSession.id]);
    await broker.endSession(ciSession.id);
  }, 20_000);
});

describe.skipIf(!isRoot)(`useLab${isRoot ? "" : ` (${NEEDS_ROOT})`}`, () => {
  test("in a joined session the lab is released for its owner, not destroyed", async () => {
    const ciSession = await broker.session({ client: { name: "ci-job-with-lab" } });
    ciSession.detach();
    const { hooks, setUp, tearDown } = recordedHooks();
    const fixture = useLab(hooks, { broker, sessionId: ciSession.id, topology: LINE3, fileName: "line3.clab.yml" });
    await setUp();
    const { id } = fixture.lab;
    await tearDown();
    expect((await broker.labs({ session_id: ciSession.id })).map((lab) => [lab.id, lab.state, lab.ref_count])).toEqual([[
      id,
      "running",
      0,
    ]]);
    await ciSession.end();
    await eventually(
      async () => (await broker.labs({ state: "inactive" })).some((lab) => lab.id === id),
      "the session's end to destroy the lab",
    );
  }, 60_000);

  test("deploys once for the suite; afterAll destroys the lab (namespaces gone) and ends the session", async () => {
    const { hooks, setUp, tearDown } = recordedHooks();
    const fixture = useLab(hooks, { broker, env: {}, topology: LINE3, fileName: "line3.clab.yml" });
    await setUp();
    expect(fixture.lab.state).toBe("running");
    expect((await fixture.node("a").run(["ping", "-c", "1", "-W", "2", "10.0.2.3"])).passed).toBe(true);
    const { instance_name: instance } = fixture.lab.view;
    const sessionId = fixture.session.id;
    await tearDown();
    expect((await runCommand(["ip", "netns", "list"], { timeoutMs: 10_000 })).stdout).not.toContain(instance);
    expect(await broker.getSession(sessionId)).toMatchObject({ state: "ended", end_reason: "released" });
  }, 60_000);
});
