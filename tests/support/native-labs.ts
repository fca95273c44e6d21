import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCommand } from "../../src/hosts/command-runner.ts";
import type { LabSpec, OutputLine } from "../../src/hosts/lab-runtime.ts";
import { LabRegistry } from "../../src/hosts/native/lab-registry.ts";
import { NativeRuntime } from "../../src/hosts/native/native-runtime.ts";

export const isRoot = process.getuid?.() === 0;
export const NEEDS_ROOT = "skipped: creating network namespaces needs root";

/**
 * Shared by every native test run on the host (not per test): the runtime's planning lock and lab
 * records live here, so concurrent test runs see each other's labs and never pick the same subnet.
 */
export const TEST_STATE_DIR = "/run/labbroker/native-tests";

/**
 * One test's labs: a random suffix in every instance and host interface name, a work folder for
 * topology files, the output lines, and a cleanup that destroys every lab and then deletes anything
 * still carrying the suffix or a lab tag, whatever state the test left behind. With `ownRecords`,
 * the lab records live in the work folder instead of TEST_STATE_DIR: labs of another user of the host.
 */
export class NativeLabFixture {
  readonly suffix = Math.random().toString(36).slice(2, 8).padEnd(6, "0");
  readonly workDir = mkdtempSync(join(tmpdir(), "native-lab-test-"));
  readonly stateDir: string;
  readonly runtime: NativeRuntime;
  readonly output: OutputLine[] = [];
  readonly sink = (line: OutputLine) => void this.output.push(line);
  readonly #specs: LabSpec[] = [];
  readonly #tags = new Set<string>();

  constructor(options: { ownRecords?: boolean } = {}) {
    this.stateDir = options.ownRecords ? join(this.workDir, "records") : TEST_STATE_DIR;
    this.runtime = new NativeRuntime({ stateDir: this.stateDir });
  }

  /** Writes the topology and returns a spec whose instance name ends with this test's suffix. */
  spec(name: string, topology: string, timeoutMs = 20_000): LabSpec {
    const topologyFile = `${name}.clab.yml`;
    writeFileSync(join(this.workDir, topologyFile), topology);
    const spec: LabSpec = {
      labId: `lab-${name}-${this.suffix}`,
      instanceName: `${name}-${this.suffix}`,
      workDir: this.workDir,
      topologyFile,
      timeoutMs,
    };
    this.#specs.push(spec);
    return spec;
  }

  /** The lab tag (`nl-<tag>` names) of a deployed lab, remembered for the last-resort cleanup. */
  tagOf(spec: LabSpec): string {
    const tag = new LabRegistry(this.stateDir).read(spec.instanceName)?.tag;
    if (!tag) throw new Error(`no lab record for ${spec.instanceName}`);
    this.#tags.add(tag);
    return tag;
  }

  /** Namespaces and host interfaces of this test still present (empty when everything is gone). */
  async leftovers(): Promise<string[]> {
    const namespaces = (await namespaceNames()).filter((name) => name.includes(this.suffix));
    const links = (await hostLinkNames()).filter((name) =>
      name.includes(this.suffix) || [...this.#tags].some((tag) => name.startsWith(`nl-${tag}`))
    );
    return [...namespaces.map((name) => `netns ${name}`), ...links.map((name) => `link ${name}`)];
  }

  async cleanup(): Promise<void> {
    const registry = new LabRegistry(this.stateDir);
    for (const spec of this.#specs) {
      const tag = registry.read(spec.instanceName)?.tag;
      if (tag) this.#tags.add(tag);
      await this.runtime.destroy(spec, () => undefined).catch(() => undefined);
    }
    for (const leftover of await this.leftovers()) {
      const [what, name] = leftover.split(" ") as [string, string];
      await runCommand(what === "netns" ? ["ip", "netns", "del", name] : ["ip", "link", "del", "dev", name], { timeoutMs: 5000 });
    }
    for (const spec of this.#specs) registry.remove(spec.instanceName);
    rmSync(this.workDir, { recursive: true, force: true });
  }
}

export async function hostLinkNames(): Promise<string[]> {
  const result = await runCommand(["ip", "-j", "link", "show"], { timeoutMs: 5000 });
  return (JSON.parse(result.stdout) as { ifname: string }[]).map((link) => link.ifname);
}

export async function namespaceNames(): Promise<string[]> {
  try {
    return readdirSync("/run/netns");
  } catch {
    return [];
  }
}

/** Exit code of one ping, from the host or from inside a namespace. */
export async function ping(address: string, namespace?: string): Promise<number> {
  const argv = [...(namespace ? ["ip", "netns", "exec", namespace] : []), "ping", "-c1", "-W2", address];
  return (await runCommand(argv, { timeoutMs: 5000 })).code;
}

/** Still running: neither gone nor a zombie (an orphan whose parent, as PID 1 in some VMs, never reaps it). */
export function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return !stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return false;
  }
}

export async function run(argv: string[]): Promise<string> {
  const result = await runCommand(argv, { timeoutMs: 5000 });
  if (result.code !== 0) throw new Error(`${argv.join(" ")} exited with ${result.code}: ${result.stderr}`);
  return result.stdout;
}
