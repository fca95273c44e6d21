/**
 * Deploy and destroy time of native labs (network namespaces + veth pairs) for line topologies.
 * Usage (as root): bun scripts/bench-native.ts [--sizes 2,10,50] [--runs 5]
 * Each size is a line n1 — n2 — … — nN (N namespaces, N-1 veth links, one management bridge);
 * "with exec" adds one `ip address add` exec command per node. Prints medians as a markdown table.
 */
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { LabSpec } from "../src/hosts/lab-runtime.ts";
import { NativeRuntime } from "../src/hosts/native/native-runtime.ts";
import { benchFolder, median } from "./bench-support.ts";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "2,10,50" }, runs: { type: "string", default: "5" } } });
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
if (process.getuid?.() !== 0) throw new Error("bench-native needs root: it creates network namespaces");

const runtime = new NativeRuntime({ stateDir: "/run/labbroker/native-bench" });
const workDir = benchFolder("bench-native-");
const ignore = () => undefined;

function lineTopology(size: number, withExec: boolean): string {
  const nodes = Array.from({ length: size }, (_, index) => {
    const exec = withExec ? `, exec: ["ip address add 10.${Math.floor(index / 250)}.${index % 250}.1/32 dev lo"]` : "";
    return `    n${index + 1}: {kind: linux${exec}}`;
  });
  const links = Array.from({ length: size - 1 }, (_, index) => `    - endpoints: ["n${index + 1}:eth2", "n${index + 2}:eth1"]`);
  return `name: bench${size}\ntopology:\n  nodes:\n${nodes.join("\n")}\n  links:\n${links.join("\n")}\n`;
}

async function timeOnce(size: number, withExec: boolean, run: number): Promise<{ deploy: number; destroy: number }> {
  const topologyFile = `bench${size}-${withExec ? "exec" : "plain"}.clab.yml`;
  writeFileSync(join(workDir, topologyFile), lineTopology(size, withExec));
  const spec: LabSpec = {
    labId: `bench-${size}`,
    instanceName: `bench${size}-${run}-${process.pid}`,
    workDir,
    topologyFile,
    timeoutMs: 120_000,
  };
  const deployStart = performance.now();
  await runtime.deploy(spec, ignore, new AbortController().signal);
  const deploy = performance.now() - deployStart;
  const destroyStart = performance.now();
  await runtime.destroy(spec, ignore);
  return { deploy, destroy: performance.now() - destroyStart };
}

const rows: string[] = [];
try {
  for (const size of sizes) {
    const plain: { deploy: number; destroy: number }[] = [];
    const withExec: { deploy: number; destroy: number }[] = [];
    for (let run = 0; run < runs; run++) {
      plain.push(await timeOnce(size, false, run));
      withExec.push(await timeOnce(size, true, run));
    }
    const ms = (samples: number[]) => `${Math.round(median(samples))} ms`;
    rows.push(
      `| ${size} | ${size - 1} | ${ms(plain.map((sample) => sample.deploy))} | ${ms(withExec.map((sample) => sample.deploy))} | ${
        ms([...plain, ...withExec].map((sample) => sample.destroy))
      } |`,
    );
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

console.log(
  `Native runtime, line topologies, median of ${runs} runs (bun scripts/bench-native.ts --sizes ${values.sizes} --runs ${runs})\n`,
);
console.log("| nodes | links | deploy | deploy with 1 exec per node | destroy |");
console.log("|---:|---:|---:|---:|---:|");
for (const row of rows) console.log(row);
