import { randomBytes } from "node:crypto";
import { TEST_ADMIN_TOKEN } from "./test-broker.ts";
import { runChecked, runCommand } from "../../src/hosts/command-runner.ts";

export interface NetworkNode {
  namespace: string;
  address: string;
  /** The switch's port towards this node: down means a dead link, no reset, no answer. */
  switchPort: string;
}

const SUBNET = "192.0.2";

/**
 * Machines on a LAN, made of network namespaces: one per node, joined by a bridge in a switch
 * namespace of its own. Addresses exist only inside these namespaces; names carry a random tag so
 * runs on one machine never meet, and `destroy` removes everything, also after a failure.
 */
export class NamespaceNetwork {
  readonly tag = randomBytes(3).toString("hex");
  readonly nodes = new Map<string, NetworkNode>();
  readonly #switch = `lbn-${this.tag}-switch`;

  async addNode(name: string): Promise<NetworkNode> {
    if (this.nodes.size === 0) {
      await ip(["netns", "add", this.#switch]);
      await ip(["-n", this.#switch, "link", "add", "br0", "type", "bridge"]);
      await ip(["-n", this.#switch, "link", "set", "br0", "up"]);
    }
    const index = this.nodes.size + 1;
    const node = { namespace: `lbn-${this.tag}-${name}`, address: `${SUBNET}.${index}`, switchPort: `p${this.tag}n${index}` };
    this.nodes.set(name, node);
    await ip(["netns", "add", node.namespace]);
    await ip([
      "link",
      "add",
      `v${this.tag}n${index}`,
      "netns",
      node.namespace,
      "type",
      "veth",
      "peer",
      "name",
      node.switchPort,
      "netns",
      this.#switch,
    ]);
    await ip(["-n", node.namespace, "link", "set", `v${this.tag}n${index}`, "name", "eth0"]);
    await ip(["-n", node.namespace, "address", "add", `${node.address}/24`, "dev", "eth0"]);
    await ip(["-n", node.namespace, "link", "set", "eth0", "up"]);
    await ip(["-n", node.namespace, "link", "set", "lo", "up"]);
    await ip(["-n", this.#switch, "link", "set", node.switchPort, "master", "br0", "up"]);
    return node;
  }

  node(name: string): NetworkNode {
    const node = this.nodes.get(name);
    if (!node) throw new Error(`no node ${name} in the test network`);
    return node;
  }

  /** The argv prefix that runs a program on a node (its network namespace, the host's mount namespace). */
  on(name: string): string[] {
    return ["nsenter", `--net=/run/netns/${this.node(name).namespace}`];
  }

  async setLink(name: string, state: "up" | "down"): Promise<void> {
    await ip(["-n", this.#switch, "link", "set", this.node(name).switchPort, state]);
  }

  /** An HTTP request made from a node, with curl. */
  // deno-lint-ignore no-explicit-any -- tests read any answer's fields directly
  async http(from: string, method: string, url: string, body?: unknown): Promise<{ status: number; json: any }> {
    const argv = [
      ...this.on(from),
      "curl",
      "-sS",
      "-m",
      "10",
      "-X",
      method,
      "-H",
      `Authorization: Bearer ${TEST_ADMIN_TOKEN}`,
      "-w",
      "\n%{http_code}",
      url,
    ];
    if (body !== undefined) argv.push("-H", "content-type: application/json", "--data-binary", JSON.stringify(body));
    const result = await runChecked(argv, { timeoutMs: 15_000 });
    const newline = result.stdout.lastIndexOf("\n");
    const text = result.stdout.slice(0, newline);
    return { status: Number(result.stdout.slice(newline + 1)), json: text ? JSON.parse(text) : null };
  }

  async destroy(): Promise<void> {
    for (const namespace of [...[...this.nodes.values()].map((node) => node.namespace), this.#switch]) {
      await runCommand(["ip", "netns", "delete", namespace], { timeoutMs: 10_000 });
    }
    this.nodes.clear();
  }
}

async function ip(args: string[]): Promise<void> {
  await runChecked(["ip", ...args], { timeoutMs: 10_000 });
}
