import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/**
 * The dependency rule of docs/architecture.md, checked on every import of main.ts, src/ and db/
 * (type-only imports included: they couple the code just as much).
 */

const repo = resolve(import.meta.dir, "../..");

/** Top to bottom; a file imports its own layer or a lower rank, never a sibling of its rank or anything above. */
const RANKS: { layers: Record<string, (path: string) => boolean> }[] = [
  { layers: { main: (path) => path === "main.ts" } },
  { layers: { cli: (path) => path.startsWith("src/cli/") } },
  { layers: { broker: (path) => path === "src/broker.ts" } },
  { layers: { config: (path) => path.startsWith("src/config/") } },
  { layers: { client: (path) => path.startsWith("src/client/"), agents: (path) => path.startsWith("src/agents/") } },
  { layers: { routes: (path) => path.startsWith("src/routes/") } },
  { layers: { metrics: (path) => path.startsWith("src/metrics/") } },
  { layers: { engine: (path) => path.startsWith("src/engine/"), hosts: (path) => path.startsWith("src/hosts/") } },
  {
    layers: {
      protocol: (path) => path.startsWith("src/protocol/"),
      topology: (path) => path.startsWith("src/topology/"),
      validation: (path) => path.startsWith("src/validation/"),
    },
  },
  {
    layers: {
      db: (path) => path.startsWith("db/"),
      platform: (path) => path.startsWith("src/platform/"),
      base: (path) => /^src\/[^/]+\.ts$/.test(path) || path === "package.json",
    },
  },
];

/** Layers that must not reach down to these folders, though they rank below: what they need comes through the layers between. */
const NOT_DIRECTLY: { from: string; to: string; why: string }[] = [
  {
    from: "src/routes/",
    to: "db/",
    why: "tables, their enums and the migrations are the engine's; routes reach them through the engine or the protocol",
  },
];

function placeOf(path: string): { layer: string; rank: number } | null {
  for (const [rank, { layers }] of RANKS.entries()) {
    for (const [layer, holds] of Object.entries(layers)) if (holds(path)) return { layer, rank };
  }
  return null;
}

function sourceFiles(folder: string): string[] {
  return readdirSync(join(repo, folder), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => join(folder, name));
}

const STATIC_IMPORT = /^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']/gm;
const BARE_IMPORT = /^\s*import\s*["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** The repository paths a file imports (packages and node: modules left out). */
function importsOf(path: string): string[] {
  const text = readFileSync(join(repo, path), "utf8");
  const specifiers = [STATIC_IMPORT, BARE_IMPORT, DYNAMIC_IMPORT].flatMap((pattern) =>
    [...text.matchAll(pattern)].map((match) => match[1]!)
  );
  return specifiers.filter((specifier) => specifier.startsWith(".")).map((specifier) =>
    relative(repo, resolve(repo, dirname(path), specifier))
  );
}

const files = ["main.ts", ...sourceFiles("src"), ...sourceFiles("db")].sort();
const graph = new Map(files.map((file) => [file, importsOf(file)]));

function upwardImports(): string[] {
  const found: string[] = [];
  for (const [file, targets] of graph) {
    const from = placeOf(file)!;
    for (const target of targets) {
      const to = placeOf(target);
      if (to === null) found.push(`${file} -> ${target} (outside the layers)`);
      else if (to.rank < from.rank || (to.rank === from.rank && to.layer !== from.layer)) found.push(`${file} -> ${target}`);
    }
  }
  return found;
}

/** Strongly connected groups of files (Tarjan), each named by its first file; self-imports count. */
function importCycles(): string[] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (file: string) => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of graph.get(file) ?? []) {
      if (!graph.has(target)) continue;
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const members: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      members.push(member);
    } while (member !== file);
    if (members.length > 1 || graph.get(file)!.includes(file)) cycles.push(members.sort().join(" <-> "));
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles.sort();
}

describe("import rules (docs/architecture.md)", () => {
  test("every file of main.ts, src/ and db/ belongs to a layer", () => {
    expect(files.filter((file) => placeOf(file) === null)).toEqual([]);
    expect(files.length).toBeGreaterThan(300);
  });

  test("no import runs up or sideways between layers", () => {
    expect(upwardImports()).toEqual([]);
  });

  test.each(NOT_DIRECTLY)("no file under $from imports $to ($why)", ({ from, to }) => {
    const found = [...graph].flatMap(([file, targets]) =>
      file.startsWith(from) ? targets.filter((target) => target.startsWith(to)).map((target) => `${file} -> ${target}`) : []
    );
    expect(found).toEqual([]);
  });

  test("no file import cycles", () => {
    expect(importCycles()).toEqual([]);
  });
});
