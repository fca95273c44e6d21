import { expect, test } from "bun:test";
import { resolve } from "node:path";

/**
 * What every `labbroker` start evaluates: main.ts and what it imports statically (src/cli/commands/index.ts).
 * The broker, the agent, the routes and the database come in through `import()` inside the commands
 * that run them, so a client command (`session create`, `job run`, …) starts without their code and
 * without extracting and loading the SQLite addon.
 */

const repo = resolve(import.meta.dir, "../..");

interface MetafileInput {
  imports: { path: string; kind: string }[];
}

/** The files the bundler reaches from main.ts through static imports and requires (dynamic imports left out). */
async function staticallyLoaded(): Promise<Set<string>> {
  const build = await Bun.build({ entrypoints: [resolve(repo, "main.ts")], target: "bun", metafile: true });
  if (!build.success) throw new AggregateError(build.logs, "bundling main.ts failed");
  const inputs = build.metafile!.inputs as Record<string, MetafileInput>;
  const seen = new Set(["main.ts"]);
  const queue = ["main.ts"];
  for (let file = queue.shift(); file !== undefined; file = queue.shift()) {
    for (const { path, kind } of inputs[file]?.imports ?? []) {
      if (kind === "dynamic-import" || seen.has(path)) continue;
      seen.add(path);
      queue.push(path);
    }
  }
  return seen;
}

test("a CLI start loads no broker, agent, route or database code and no SQLite addon", async () => {
  const loaded = [...(await staticallyLoaded())];
  expect(loaded).toContain("src/cli/commands/index.ts");
  const heavy = [
    "src/broker.ts",
    "src/agents/",
    "src/routes/",
    "src/engine/engine.ts",
    "db/connect.ts",
    "node_modules/libsql/",
    "node_modules/@libsql/",
    "node_modules/drizzle-orm/",
    "node_modules/hono/",
    "node_modules/prom-client/",
  ];
  // The HTTP layer's defaults, which the broker's option table reads (constants; it imports only types).
  const light = new Set(["src/routes/http-limits.ts"]);
  expect(loaded.filter((file) => !light.has(file) && heavy.some((prefix) => file.startsWith(prefix)))).toEqual([]);
});
