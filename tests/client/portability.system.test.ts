import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LabCluster } from "../support/lab-cluster.ts";

const CLIENT = join(import.meta.dir, "../../src/client");
const ROOT = join(import.meta.dir, "../..");
/** The one SDK module that reads files (topologies from disk); node:fs and node:path exist on Bun, Deno and Node. */
const MAY_USE_NODE_BUILTINS = new Set(["lab-files.ts"]);
/**
 * Code outside src/client the SDK runs: the one SHA-256 function the broker names labs by, so the
 * SDK's `warmLab` hashes as the broker does; it imports nothing but node:crypto (Bun, Deno and Node have it).
 */
const SHARED_AT_RUN_TIME = new Map([["../sha256.ts", ["node:crypto"]]]);

const folder = mkdtempSync(join(tmpdir(), "labbroker-portability-"));
const cluster = new LabCluster();
beforeAll(async () => {
  await cluster.startBroker();
  await cluster.startAgent({ name: "portable-host" });
});
afterAll(async () => {
  await cluster.stop();
  rmSync(folder, { recursive: true, force: true });
});

/** The same few SDK calls from any runtime: a session, a job, the end. */
const SCRIPT = (entry: string) => `
import { LabBroker } from ${JSON.stringify(entry)};
const broker = new LabBroker({ url: process.argv.at(-1) });
const session = await broker.session({ client: { name: "portability" } });
const job = await session.host().run(["echo", "hello"]);
const ended = await session.end();
console.log(JSON.stringify({ stdout: job.stdout, passed: job.passed, end: ended.end_reason }));
`;

async function run(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn(argv, { cwd: folder, stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const [code, stdout, stderr] = await Promise.all([proc.exited, new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code, stdout, stderr };
}

describe("the SDK is portable and carries no server code", () => {
  test("outside src/client it imports types only (and the shared hash function), and it names no Bun or Deno API", () => {
    for (const file of readdirSync(CLIENT)) {
      const source = readFileSync(join(CLIENT, file), "utf8");
      const imports = [...source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+"([^"]+)"/gm)].map(([, type, from]) => ({
        type: Boolean(type),
        from: from!,
      }));
      for (const { type, from } of imports) {
        const allowed = type || from.startsWith("./") || SHARED_AT_RUN_TIME.has(from) ||
          (from.startsWith("node:") && MAY_USE_NODE_BUILTINS.has(file));
        expect(allowed ? "" : `${file} imports ${from}`).toBe("");
      }
      expect(source).not.toMatch(/\b(Bun|Deno)\./);
    }
    for (const [shared, imports] of SHARED_AT_RUN_TIME) {
      const source = readFileSync(join(CLIENT, shared), "utf8");
      expect([...source.matchAll(/^import\s[^;]*?from\s+"([^"]+)"/gm)].map(([, from]) => from)).toEqual(imports);
    }
  });

  test("bundled for Node it is a few small modules without Hono, drizzle or libSQL, and it works on Node", async () => {
    const built = await Bun.build({ entrypoints: [join(CLIENT, "index.ts")], target: "node", format: "esm" });
    expect(built.success).toBe(true);
    const bundle = await built.outputs[0]!.text();
    expect(bundle).not.toMatch(/hono|drizzle|libsql/i);
    expect(bundle.length).toBeLessThan(100_000);
    writeFileSync(join(folder, "sdk.mjs"), bundle);
    writeFileSync(join(folder, "node-client.mjs"), SCRIPT("./sdk.mjs"));
    const result = await run(["node", "node-client.mjs", withCredentials(cluster.url)]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ stdout: "hello\n", passed: true, end: "released" });
  }, 30_000);

  test("Deno runs it from source", async () => {
    writeFileSync(join(folder, "deno-client.ts"), SCRIPT(join(CLIENT, "index.ts")));
    const result = await run([
      join(ROOT, "node_modules/.bin/deno"),
      "run",
      "--allow-net",
      "--config",
      join(ROOT, "deno.json"),
      "deno-client.ts",
      withCredentials(cluster.url),
    ]);
    expect(result.stderr).toBe("");
    expect(JSON.parse(result.stdout)).toEqual({ stdout: "hello\n", passed: true, end: "released" });
  }, 30_000);
});

/** The token travels in the URL, as Remote Lab users pass it (`http://name:TOKEN@broker`); the SDK moves it into a header. */
function withCredentials(url: string): string {
  const parsed = new URL(url);
  parsed.username = "portability";
  parsed.password = TEST_ADMIN_TOKEN;
  return parsed.toString();
}
