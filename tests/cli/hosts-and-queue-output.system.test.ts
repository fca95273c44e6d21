import { afterAll, beforeAll, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { hostsTable } from "../../src/cli/commands/hosts.ts";
import { LabBroker } from "../../src/client/broker.ts";
import { VERSION } from "../../src/version.ts";
import { http } from "../support/http.ts";
import { CLUSTER_TOKEN, LabCluster } from "../support/lab-cluster.ts";
import { runCliCaptured } from "../support/run-cli-in-process.ts";

/**
 * The human output of `hosts` and `queue` on a fixed fleet and queue, as a reviewed snapshot.
 * Hosts are registered through the agent API (no agent processes), so runtimes and versions do not
 * depend on what the test machine has installed. Ids and ages are replaced by same-width
 * placeholders, which keeps the columns exactly as the command aligned them.
 */
const cluster = new LabCluster();
let broker: LabBroker;
const sessions: { id: string; name: string }[] = [];

beforeAll(async () => {
  await cluster.startBroker();
  broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
  const register = (body: Record<string, unknown>) =>
    http("POST", `${cluster.url}/v1/agents/register`, { version: VERSION, ...body }, { authorization: `Bearer ${CLUSTER_TOKEN}` });
  await register({ name: "lab-a", labels: { site: "east", nic: "mlx5" }, runtimes: [{ name: "native", version: "6.1.0" }] });
  await register({
    name: "lab-b",
    labels: { site: "west" },
    runtimes: [{ name: "containerlab", version: "0.54.2" }, { name: "netlab", version: "1.9.0" }],
    capacity: 2,
  });
  await register({ name: "lab-c", labels: { site: "east" }, runtimes: [{ name: "native", version: "6.1.0" }] });
  await http("PATCH", `${cluster.url}/v1/hosts/lab-c`, { maintenance: true });

  const queue = async (name: string, request: Parameters<LabBroker["session"]>[0]) => {
    const session = await broker.session({ ...request, client: { name }, wait: false });
    session.detach();
    sessions.push({ id: session.id, name });
  };
  await queue("nightly-east", { hosts: { m1: { labels: { site: "east" } } } });
  await queue("pr-1234", { hosts: { m1: { runtime: "containerlab" }, m2: { labels: { nic: "mlx5" } } } });
  await queue("pr-1235", { hosts: { m1: {} } });
  await queue("pr-1236", { hosts: { m1: { labels: { site: "west" } } } });
  await queue("netlab-urgent", { hosts: { m1: { runtime: "netlab" } }, priority: 10 });
  await queue("needs-lab-c", { hosts: { m1: { host: "lab-c" } } });
  await queue("hotfix", { hosts: { m1: { labels: { site: "east" } } }, priority: 100 });
});
afterAll(() => cluster.stop());

function normalise(text: string): string {
  let normalised = text;
  sessions.forEach(({ id }, index) => (normalised = normalised.replaceAll(id, `<session ${index + 1}>`.padEnd(id.length))));
  return normalised.replace(/\b(\d+)([smhd]) ago/g, (_match, digits: string, unit: string) => `${"N".repeat(digits.length)}${unit} ago`);
}

test("labbroker hosts: one line per host with state, runtimes and versions, labels, slots used", async () => {
  const result = await runCliCaptured(["hosts", "--broker", cluster.url], {}, { signal: new AbortController().signal });
  expect(result.code).toBe(0);
  expect("\n" + normalise(result.stdout)).toMatchSnapshot();
});

test("labbroker queue: active sessions with their hosts, then waiting ones in the order they will be served, one place each, with the reason", async () => {
  const result = await runCliCaptured(["queue", "--broker", cluster.url], {}, { signal: new AbortController().signal });
  expect(result.code).toBe(0);
  expect("\n" + normalise(result.stdout)).toMatchSnapshot();
});

test("labbroker hosts: a host whose agent's poll is held shows connected instead of an age", async () => {
  const [host] = await broker.hosts();
  const table = hostsTable([{ ...host!, connected: true, agent_address: "192.0.2.7" }], Date.now());
  expect(table.split("\n")[1]).toMatch(/192\.0\.2\.7\s+connected$/);
});
