/**
 * Time from deploying a netlab OSPF topology on the native runtime to "every OSPF adjacency Full",
 * for lines of N FRR routers (r1 — r2 — … — rN, netlab p2p links, default OSPF timers).
 * Usage (as root, FRR installed): bun scripts/bench-frr.ts [--sizes 2,10,30] [--runs 3]
 * Measures the agent's part (NativeRuntime.deploy, then polling each router's vtysh), not the
 * broker's HTTP hop in front of it (a few milliseconds, see the sessions benchmarks).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { LabSpec } from "../src/hosts/lab-runtime.ts";
import { NativeRuntime } from "../src/hosts/native/native-runtime.ts";
import { waitForOspfFull } from "../tests/support/frr.ts";
import { benchFolder, median } from "./bench-support.ts";

const { values } = parseArgs({ options: { sizes: { type: "string", default: "2,10,30" }, runs: { type: "string", default: "3" } } });
const sizes = values.sizes.split(",").map(Number);
const runs = Number(values.runs);
if (process.getuid?.() !== 0) throw new Error("bench-frr needs root: it creates network namespaces");

const runtime = new NativeRuntime({ stateDir: "/run/labbroker/native-bench" });
const workDir = benchFolder("bench-frr-");
const ignore = () => undefined;

function lineTopology(size: number): string {
  const nodes = Array.from({ length: size }, (_, index) => `r${index + 1}`);
  const links = nodes.slice(1).map((node, index) => `r${index + 1}-${node}`);
  return `defaults.device: frr\nmodule: [ospf]\nnodes: [${nodes.join(", ")}]\nlinks: [${links.join(", ")}]\n`;
}

async function timeOnce(size: number, run: number): Promise<{ deploy: number; full: number }> {
  const topologyFile = `ospf-line${size}.yml`;
  writeFileSync(join(workDir, topologyFile), lineTopology(size));
  const spec: LabSpec = {
    labId: `bench-frr-${size}`,
    instanceName: `ospf${size}-${run}-${process.pid}`,
    workDir,
    topologyFile,
    timeoutMs: 300_000,
  };
  const started = performance.now();
  try {
    const nodes = await runtime.deploy(spec, ignore, new AbortController().signal);
    const deploy = performance.now() - started;
    const prefixes = Object.fromEntries(nodes.map((node) => [node.name, runtime.nodeExecPrefix(spec, node.name)]));
    const expected = Object.fromEntries(nodes.map((node, index) => [node.name, index === 0 || index === size - 1 ? 1 : 2]));
    await waitForOspfFull(prefixes, expected, 180_000);
    return { deploy, full: performance.now() - started };
  } finally {
    await runtime.destroy(spec, ignore);
  }
}

console.log("| routers | deploy (FRR running) | deploy → all adjacencies Full |\n|---|---|---|");
for (const size of sizes) {
  const samples: { deploy: number; full: number }[] = [];
  for (let run = 0; run < runs; run++) samples.push(await timeOnce(size, run));
  const seconds = (values: number[]) => `${(median(values) / 1000).toFixed(2)} s`;
  console.log(`| ${size} | ${seconds(samples.map((sample) => sample.deploy))} | ${seconds(samples.map((sample) => sample.full))} |`);
}
