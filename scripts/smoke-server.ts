/**
 * Checks a starting broker the way a new user first meets it: /healthz, /docs, a refusal without a
 * token, and one session round trip through the SDK (queued, active on a host, a job run there,
 * ended) with the token found as client commands find it: LABBROKER_TOKEN, else ./data/admin-token.
 * Usage: bun scripts/smoke-server.ts URL   (waits up to 120 s for the broker and its agent)
 */
import { LabBroker } from "../src/client/index.ts";
import { DEFAULT_TOKEN_FILE, readSecretFile } from "../src/config/token-file.ts";

const url = process.argv[2];
if (!url) throw new Error("usage: bun scripts/smoke-server.ts URL");

async function waitHealthy(deadline: number): Promise<void> {
  for (;;) {
    const status = await fetch(`${url}/healthz`).then((response) => response.status, () => null);
    if (status === 204) return;
    if (Date.now() > deadline) throw new Error(`GET ${url}/healthz answered ${status ?? "nothing"}, expected 204`);
    await Bun.sleep(200);
  }
}

async function expectStatus(path: string, expected: number): Promise<void> {
  const response = await fetch(`${url}${path}`);
  if (response.status !== expected) throw new Error(`GET ${path} answered ${response.status}, expected ${expected}`);
  console.log(`GET ${path} -> ${response.status}`);
}

await waitHealthy(Date.now() + 120_000);
console.log("GET /healthz -> 204");
await expectStatus("/docs", 200);
await expectStatus("/v1/sessions", 401);
const token = process.env.LABBROKER_TOKEN || readSecretFile(DEFAULT_TOKEN_FILE);
if (!token) throw new Error(`no token: set LABBROKER_TOKEN or run where the broker saved ${DEFAULT_TOKEN_FILE}`);
const broker = new LabBroker({ url, token });
const session = await broker.session({ client: { name: "ci-smoke" }, timeoutS: 120 });
try {
  const job = await session.host("m1").run(["echo", "smoke"]);
  if (!job.passed || job.stdout !== "smoke\n") {
    throw new Error(`the job on ${session.id} did not pass: exit ${job.exitCode}, stdout ${JSON.stringify(job.stdout)}`);
  }
} finally {
  const ended = await session.end();
  console.log(`session ${ended.id}: active, ran a job, ${ended.state}`);
}
