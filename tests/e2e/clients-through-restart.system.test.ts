import { afterAll, expect, test } from "bun:test";
import { VERSION } from "../../src/version.ts";
import { http } from "../support/http.ts";
import { CLUSTER_TOKEN, LabCluster } from "../support/lab-cluster.ts";
import { startLabbroker } from "../support/processes.ts";
import { eventually } from "../support/wait-for.ts";

/**
 * Clients waiting in the queue ride out a broker restart: the queue is persisted, so they
 * reconnect (with backoff, saying so) and keep their session and their place.
 */
const cluster = new LabCluster();
afterAll(() => cluster.stop());

// The waiting line in a log: timestamped, naming the session (see src/cli/client/wait-line.ts).
const LOST = /^\[\S+Z\] session \S+ waiting: lost the broker \(/;
const AT_FRONT = /^\[\S+Z\] session \S+ waiting \S+: position 0/;

test("a waiting 'session create' keeps waiting across a broker kill and restart, then becomes active with the same session", async () => {
  const url = await cluster.startBroker();
  const registered = await http("POST", `${url}/v1/agents/register`, {
    name: "restart-host",
    version: VERSION,
    runtimes: [{ name: "native", version: null }],
  }, { authorization: `Bearer ${CLUSTER_TOKEN}` });
  expect(registered.status).toBe(201);
  const holder = await cluster.session("restart-host");

  const waiting = startLabbroker(["session", "create", "--json", "--client-name", "patient"], { env: { LABBROKER_URL: url } });
  await waiting.waitForLog((line) => AT_FRONT.test(String(line.msg)));
  const behind = (await http("POST", `${url}/v1/sessions`, { client: { name: "behind" } })).json;
  const [queued] = (await http("GET", `${url}/v1/sessions?state=waiting`)).json.items;
  expect(queued).toMatchObject({ client: { name: "patient" }, queue_position: 1 });

  await cluster.broker.kill("SIGKILL");
  // The client backs off and says so; it does not give up on a refused connection.
  const lines = () => waiting.logs.map((entry) => String(entry.msg));
  await eventually(() => lines().filter((line) => LOST.test(line)).length >= 3, "three reconnection attempts", 20_000);
  expect(lines().filter((line) => LOST.test(line)).at(-1)).toContain(`lost the broker (Cannot reach the broker at ${url}`);
  expect(waiting.proc.exitCode).toBeNull();

  await cluster.startBroker([], cluster.port);
  expect((await http("GET", `${url}/v1/sessions/${queued.id}`)).json).toMatchObject({ state: "waiting", queue_position: 1 });
  // Back in touch, the line says where the session stands again.
  await eventually(() => AT_FRONT.test(lines().at(-1)!), "the waiting line after the reconnection", 30_000);

  expect((await http("DELETE", `${url}/v1/sessions/${holder.id}`)).status).toBe(200);
  expect(await waiting.proc.exited).toBe(0);
  expect(JSON.parse(waiting.stdout())).toMatchObject({ id: queued.id, state: "active", hosts: { m1: { name: "restart-host" } } });
  expect((await http("GET", `${url}/v1/sessions/${behind.id}`)).json).toMatchObject({ state: "waiting", queue_position: 1 });
  await http("DELETE", `${url}/v1/sessions/${behind.id}`);
  await http("DELETE", `${url}/v1/sessions/${queued.id}`);
}, 60_000);

test("a broker that stays away longer than --wait-timeout still ends the wait with exit 3, saying the broker is unreachable", async () => {
  const url = cluster.broker.proc.exitCode === null ? cluster.url : await cluster.startBroker([], cluster.port);
  await cluster.session("restart-host");
  const waiting = startLabbroker(["session", "create", "--shell", "--wait-timeout", "3"], { env: { LABBROKER_URL: url } });
  await waiting.waitForLog((line) => AT_FRONT.test(String(line.msg)));
  await cluster.broker.kill("SIGKILL");
  expect(await waiting.proc.exited).toBe(3);
  expect(waiting.stdout()).toBe("case $- in *i*) (exit 3) ;; *) exit 3 ;; esac\n");
  expect(waiting.logs.map((line) => String(line.msg))).toContainEqual(
    expect.stringMatching(
      new RegExp(
        `^labbroker session create: Session \\S+ is still waiting after 3 s \\(the broker is unreachable: Cannot reach the broker at ${url}`,
      ),
    ),
  );
}, 30_000);
