import { afterEach, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { LabBroker } from "../../src/client/broker.ts";
import type { SessionListItem } from "../../src/client/api-types.ts";
import { killChildSuites, startChildSuite } from "../support/child-suite.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";

let cluster: LabCluster;
afterEach(async () => {
  await killChildSuites();
  await cluster?.stop();
});

async function clusterWithOneHost(brokerArgs: string[] = []): Promise<LabBroker> {
  cluster = new LabCluster();
  await cluster.startBroker(brokerArgs);
  await cluster.startAgent({ name: "the-only-host" });
  return new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
}

const byClient = (sessions: SessionListItem[], name: string) => sessions.find((session) => session.client.name === name)!;

describe("test suites sharing one broker", () => {
  test("two suites (child bun test processes) take the only host in turn, first come first served, and both pass", async () => {
    const broker = await clusterWithOneHost();
    const first = startChildSuite("suite-a", {
      LABBROKER_URL: cluster.url,
      LABBROKER_TOKEN: TEST_ADMIN_TOKEN,
      HOLD: "until-someone-waits",
    });
    await first.line(/^suite-a holding /);
    const second = startChildSuite("suite-b", { LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN });
    await second.line(/^suite-b waiting: position 0, all matching hosts are held by active sessions$/);

    const [a, b] = await Promise.all([first.exited, second.exited]);
    expect(a).toMatchObject({ code: 0 });
    expect(b).toMatchObject({ code: 0 });
    expect(b.output).toContain("suite-b holding ");

    const ended = await broker.sessions({ state: "ended" });
    const [sessionA, sessionB] = [byClient(ended, "suite-a"), byClient(ended, "suite-b")];
    expect([sessionA.end_reason, sessionB.end_reason]).toEqual(["released", "released"]);
    expect(Date.parse(sessionA.created_at)).toBeLessThan(Date.parse(sessionB.created_at));
    // B got the host only once A let go of it.
    expect(Date.parse(sessionB.activated_at!)).toBeGreaterThanOrEqual(Date.parse(sessionA.ended_at!));
    expect(await broker.sessions()).toEqual([]);
  }, 60_000);

  const HEALTH_CHECK_REASON = "matching hosts are being health-checked after their last session";

  test("a suite killed with SIGKILL stops sending heartbeats: the broker reaps its session and the next client gets the host", async () => {
    const broker = await clusterWithOneHost(["--active-timeout", "2", "--waiting-timeout", "2"]);
    const killed = startChildSuite("doomed", { LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN, HOLD: "forever" });
    const doomedSession = (await killed.line(/^doomed holding /)).split(" ").pop()!;

    const reports: string[] = [];
    const next = broker.session({ client: { name: "next" }, onWait: (status) => reports.push(status.reason), timeoutS: 30 });
    await eventually(async () => reports.length > 0, "the next session to wait");
    // Longer than the active timeout: while the child lives, its heartbeats keep its session.
    await Bun.sleep(3_000);
    expect((await broker.getSession(doomedSession)).state).toBe("active");

    killed.proc.kill("SIGKILL");
    await using session = await next;
    expect(session.state).toBe("active");
    expect(await broker.getSession(doomedSession)).toMatchObject({ state: "ended", end_reason: "expired" });
    // Between the two sessions the host's agent checks it (the health gate): a moment a waiting session may see.
    expect(reports.filter((reason) => reason !== HEALTH_CHECK_REASON)).toEqual(["all matching hosts are held by active sessions"]);
  }, 60_000);

  test("a suite interrupted with SIGTERM ends its session at once (released, not left to expire) and exits", async () => {
    const broker = await clusterWithOneHost();
    const interrupted = startChildSuite("interrupted", { LABBROKER_URL: cluster.url, LABBROKER_TOKEN: TEST_ADMIN_TOKEN, HOLD: "forever" });
    const sessionId = (await interrupted.line(/^interrupted holding /)).split(" ").pop()!;
    interrupted.proc.kill("SIGTERM");
    const { code } = await interrupted.exited;
    expect(code === null || code !== 0).toBe(true);
    expect(await broker.getSession(sessionId)).toMatchObject({ state: "ended", end_reason: "released" });
  }, 60_000);
});
