import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { LabBroker } from "../../src/client/broker.ts";
import { LabBrokerError, SessionEndedError, WaitTimeoutError } from "../../src/client/errors.ts";
import type { WaitStatus } from "../../src/client/api-types.ts";
import { eventually } from "../support/wait-for.ts";
import { LabCluster } from "../support/lab-cluster.ts";

const cluster = new LabCluster();
let broker: LabBroker;
beforeAll(async () => {
  // Short timeouts: heartbeats must keep sessions alive across them.
  await cluster.startBroker(["--active-timeout", "2", "--waiting-timeout", "2"]);
  await cluster.startAgent({ name: "sdk-host", args: ["--label", "site=here"] });
  broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
});
afterAll(() => cluster.stop());

const caught = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

describe("sessions through the SDK", () => {
  test("a session for a free host is active at once and ended (released) when its scope ends", async () => {
    let id = "";
    {
      await using session = await broker.session({ hosts: { m1: { labels: { site: "here" } } }, client: { name: "sdk-test" } });
      id = session.id;
      expect(session.state).toBe("active");
      expect(session.view.hosts.m1?.name).toBe("sdk-host");
      expect(session.view.client).toEqual({ name: "sdk-test" });
    }
    expect(await broker.getSession(id)).toMatchObject({ state: "ended", end_reason: "released" });
  }, 20_000);

  test("a waiting session reports position and reason as they change, and is activated in arrival order", async () => {
    const holder = await broker.session({ client: { name: "holder" } });
    const secondReports: WaitStatus[] = [];
    const thirdReports: WaitStatus[] = [];
    const second = broker.session({ client: { name: "second" }, onWait: (status) => secondReports.push(status) });
    await eventually(async () => secondReports.length > 0, "the second session to queue");
    const third = broker.session({ client: { name: "third" }, onWait: (status) => thirdReports.push(status) });
    await eventually(async () => thirdReports.length > 0, "the third session to queue");

    await holder.end();
    await using secondSession = await second;
    expect(secondSession.state).toBe("active");
    await eventually(async () => thirdReports.length > 1, "the third session's position to change");
    await secondSession.end();
    await using thirdSession = await third;
    expect(thirdSession.state).toBe("active");

    // Each report names who holds the wanted host: the holder, then the second session once it took over.
    // Between sessions the host's agent checks it (the health gate): a moment without a holder, which a waiting session may see.
    const seen = (reports: WaitStatus[]) =>
      reports.filter((status) => status.held_by.length > 0).map(({ position, reason, unsatisfiable, held_by }) => ({
        position,
        reason,
        unsatisfiable,
        heldBy: held_by.map((holder) => holder.client.name),
      }));
    expect(seen(secondReports)).toEqual([{
      position: 0,
      reason: "all matching hosts are held by active sessions",
      unsatisfiable: false,
      heldBy: ["holder"],
    }]);
    expect(seen(thirdReports)).toEqual([
      { position: 1, reason: "1 session ahead", unsatisfiable: false, heldBy: ["holder"] },
      { position: 0, reason: "all matching hosts are held by active sessions", unsatisfiable: false, heldBy: ["second"] },
    ]);
  }, 20_000);

  test("heartbeats keep a session alive past the broker's timeouts; a detached one is reaped", async () => {
    await using kept = await broker.session();
    const firstExpiry = Date.parse(kept.view.expires_at!);
    await eventually(async () => Date.now() > firstExpiry + 1_000, "the first expiry time to pass");
    expect((await kept.refresh()).state).toBe("active");

    kept.detach();
    // Watched through the list: asking for the session itself would count as a sign of life.
    const ended = await eventually(
      async () => (await broker.sessions({ state: "ended" })).find((session) => session.id === kept.id),
      "the detached session to be reaped",
    );
    expect(ended.end_reason).toBe("expired");
  }, 20_000);

  test("a wait that times out is a WaitTimeoutError and the session is cancelled, not left in the queue", async () => {
    await using holder = await broker.session();
    const error = await caught(broker.session({ client: { name: "impatient" }, timeoutS: 0.5 }));
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ code: "timeout", status: null });
    expect((error as Error).message).toMatch(
      /^Session \S+ is still waiting after 0.5 s \(all matching hosts are held by active sessions\)$/,
    );
    expect(await broker.sessions()).toEqual([expect.objectContaining({ id: holder.id })]);
    expect((await broker.sessions({ state: "ended", limit: 1 }))[0]).toMatchObject({
      client: { name: "impatient" },
      end_reason: "cancelled",
    });
  }, 20_000);

  test("a waiting session ended by someone else is a SessionEndedError", async () => {
    await using holder = await broker.session();
    let waitingId = "";
    const waiting = broker.session({ onWait: () => {}, client: { name: "to-be-cancelled" } });
    await eventually(async () => {
      waitingId = (await broker.sessions({ state: "waiting" }))[0]?.id ?? "";
      return waitingId;
    }, "the session to queue");
    await broker.endSession(waitingId);
    const error = await caught(waiting);
    expect(error).toBeInstanceOf(SessionEndedError);
    expect((error as SessionEndedError).session).toMatchObject({ id: waitingId, state: "ended", end_reason: "cancelled" });
    expect(holder.state).toBe("active");
  }, 20_000);

  test("broker refusals carry status, title and the broker's own detail", async () => {
    const missing = await caught(broker.getSession("no-such-session"));
    expect(missing).toBeInstanceOf(LabBrokerError);
    expect(missing).toMatchObject({ code: "not-found", status: 404, title: "Not found", detail: 'Cannot find session "no-such-session"' });
    const never = await caught(broker.session({ hosts: { m1: { runtime: "netlab" } }, strict: true }));
    expect(never).toMatchObject({ code: "unprocessable", status: 422 });
    expect((never as LabBrokerError).detail).toContain("no registered host has runtime netlab");
    const invalid = await caught(broker.session({ hosts: { m1: {}, "9bad": {} } }));
    expect(invalid).toMatchObject({ code: "invalid", status: 400 });
    expect((invalid as LabBrokerError).problem?.errors).toEqual([expect.objectContaining({ location: "body" })]);
    const unreachable = await caught(new LabBroker({ url: "http://127.0.0.1:1" }).hosts());
    expect(unreachable).toMatchObject({ code: "unreachable", status: null });
  }, 20_000);

  test("attaching to a session keeps it alive while in use and leaves it running when disposed", async () => {
    await using owner = await broker.session();
    {
      await using attached = await broker.attach(owner.id);
      expect(attached.view.hosts).toEqual(owner.view.hosts);
    }
    expect((await broker.getSession(owner.id)).state).toBe("active");
  }, 20_000);

  test("the same idempotency key returns the same session instead of queueing another", async () => {
    await using first = await broker.session({ idempotencyKey: "ci-run-42" });
    const again = await broker.session({ idempotencyKey: "ci-run-42" });
    expect(again.id).toBe(first.id);
    again.detach();
  }, 20_000);

  test("hosts and the queue as the broker lists them", async () => {
    await using session = await broker.session({ client: { name: "lister" } });
    const [host] = await broker.hosts();
    expect(host).toMatchObject({ name: "sdk-host", state: "online", labels: { site: "here" }, holders: [session.id] });
    expect(await broker.host("sdk-host")).toMatchObject({ id: host!.id });
    expect((await broker.sessions()).map((item) => [item.id, item.state, item.client.name])).toEqual([[session.id, "active", "lister"]]);
  }, 20_000);
});
