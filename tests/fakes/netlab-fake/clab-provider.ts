import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";
import { containerStatus, FakeDockerDaemon } from "../fake-docker/daemon.ts";
import { interfaceName } from "./links.ts";
import { logLabStatus } from "./lab-state.ts";
import { asList, type Data, getPath, isData } from "./netlab-data.ts";
import { fatal, print, printSuccess, sectionHeader } from "./netlab-log.ts";

/**
 * netlab's clab provider: renders `clab.yml` (`NL:netsim/templates/provider/clab/clab.j2`), runs
 * the provider probes and the start/stop commands with the `containerlab` found on PATH. Real
 * netlab prefixes them with `sudo -E`; the fake runs them directly (tests run as root).
 */

const PROBE_VERSION_TEST = "[[ `containerlab version|awk '/version/ {print $2}'` > '0.71.999' ]] && echo OK";

export function writeClabConfig(topology: Data): void {
  const mgmt = getPath(topology.addressing, ["mgmt"]) as Data;
  const nodes: Data = {};
  const links: Data[] = [];
  for (const [name, node] of Object.entries(topology.nodes as Record<string, Data>)) {
    const kind = String(getPath(node, ["clab", "kind"]));
    const group = Object.entries(isData(topology.groups) ? topology.groups : {}).find(([, members]) =>
      asList(isData(members) ? members.members : members).includes(name)
    );
    const { kind: _kind, ...passthrough } = node.clab as Data;
    nodes[name] = {
      "mgmt-ipv4": getPath(node, ["mgmt", "ipv4"]),
      kind,
      ...(kind === "linux" ? { "restart-policy": "no" } : {}),
      image: node.box,
      runtime: "docker",
      ...(group ? { group: group[0] } : {}),
      ...passthrough,
    };
  }
  for (const link of topology.links as Data[]) {
    const ends = (link.interfaces as Data[]).map((end) => `${String(end.node)}:${clabInterface(topology, end)}`);
    if (link.type === "stub") {
      links.push({ type: "dummy", endpoint: { node: (link.interfaces as Data[])[0]!.node, interface: ends[0]!.split(":")[1] } });
    } else if (link.type === "p2p") links.push({ endpoints: ends });
    else {
      const bridge = String(link.bridge);
      nodes[bridge] = { kind: "bridge" };
      (link.interfaces as Data[]).forEach((end, index) => {
        const nodeId = getPath(topology.nodes, [String(end.node), "id"]);
        links.push({
          endpoints: [
            ends[index],
            `${bridge}:bni${String(getPath(topology.defaults, ["multilab", "id"]) ?? "")}n${String(nodeId)}i${String(end.ifindex)}`,
          ],
        });
      });
    }
  }
  const config = {
    name: topology.name,
    prefix: getPath(topology.defaults, ["providers", "clab", "lab_prefix"]) ?? "clab",
    mgmt: { network: mgmt._network ?? "netlab_mgmt", "ipv4-subnet": mgmt.ipv4, ...(mgmt._bridge ? { bridge: mgmt._bridge } : {}) },
    topology: { nodes, links },
  };
  // YAML 1.1 quoting, so `restart-policy: 'no'` stays a string for every reader.
  writeFileSync("clab.yml", stringify(config, { version: "1.1" }));
}

/** `NL:netsim/providers/clab.yml: probe`, through `run_probes`/`test_probe`. */
export function runProbes(env: NodeJS.ProcessEnv, instance: string): void {
  sectionHeader("Checking", "virtualization provider installation");
  const probes: [string, string[], string][] = [
    ["containerlab version", ["containerlab", "version"], "Containerlab is not installed"],
    [
      `bash -c ${PROBE_VERSION_TEST}`,
      ["bash", "-c", PROBE_VERSION_TEST],
      "Containerlab version is too old, please upgrade to 0.72.0 or later with 'sudo containerlab version upgrade'",
    ],
  ];
  for (const [text, [command, ...args], failure] of probes) {
    const result = spawnSync(command!, args, { env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
    const ok = !result.error && result.status === 0 && result.stdout !== "";
    logLabStatus(env, instance, `${ok ? "OK" : "FAIL"}: ${text}`);
    if (!ok) fatal(failure);
  }
  printSuccess("clab installed and working correctly");
}

/** Runs the provider `start`/`stop` command with the terminal (stdout/stderr) handed through. */
export function runProviderCommand(
  env: NodeJS.ProcessEnv,
  instance: string,
  which: "start" | "stop",
  cliCommand: string,
  topology: Data,
): void {
  const command = String(getPath(topology.defaults, ["providers", "clab", which]));
  print(`provider clab: executing ${command}`);
  const [executable, ...args] = command.split(" ").filter(Boolean);
  const result = spawnSync(executable!, args, { env, stdio: "inherit" });
  const ok = !result.error && result.status === 0;
  logLabStatus(env, instance, `${ok ? "OK" : "ERROR"}: ${command}`);
  if (!ok) fatal(`${command} failed, aborting...`, cliCommand);
}

/**
 * `get_lab_status` (`NL:netsim/providers/clab.py:388-411`): `docker ps --format json`, which lists
 * running containers only — container name → Status.
 */
export function runningContainerStatus(env: NodeJS.ProcessEnv): Map<string, string> {
  const running = new FakeDockerDaemon(env).listContainers().filter((container) => container.state === "running");
  return new Map(running.map((container) => [container.name, containerStatus(container)]));
}

function clabInterface(topology: Data, end: Data): string {
  const device = String(getPath(topology.nodes, [String(end.node), "device"]));
  const pattern = getPath(topology.defaults, ["devices", device, "clab", "interface_name"]) ??
    getPath(topology.defaults, ["devices", device, "interface_name"]);
  return interfaceName(pattern, Number(end.ifindex));
}
