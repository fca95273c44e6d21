import { type NetworkInterfaceInfo, networkInterfaces } from "node:os";

/** Where the broker can be reached: the URL this machine uses, and the one to give other hosts. */

export type InterfaceAddresses = NodeJS.Dict<NetworkInterfaceInfo[]>;

const WILDCARDS = new Set(["0.0.0.0", "::", "[::]", ""]);
const LOOPBACK = /^(127\.|::1$|localhost$|\[::1\]$)/;

/** `http://HOST:PORT` (or https) with IPv6 addresses in brackets. */
export function httpUrl(host: string, port: number, scheme: "http" | "https" = "http"): string {
  const bare = host.replace(/^\[(.*)\]$/, "$1");
  return `${scheme}://${bare.includes(":") ? `[${bare}]` : bare}:${port}`;
}

/** For clients on this machine: loopback when bound to all addresses. */
export function localBrokerUrl(bindHost: string, port: number, scheme: "http" | "https" = "http"): string {
  if (!WILDCARDS.has(bindHost)) return httpUrl(bindHost, port, scheme);
  return httpUrl("127.0.0.1", port, scheme);
}

/** Whether only processes on this machine can reach an address bound to `host`. */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export interface ReachableUrl {
  /** Null when bound to all addresses on a machine without any address but loopback. */
  url: string | null;
  /** Only processes on this machine can use `url` (bound to loopback). */
  loopbackOnly: boolean;
}

/**
 * The URL other hosts can use: `--public-url` when given; else the bound address; when bound to
 * all addresses, one of this machine's own (IPv4 first, never loopback or link-local, which needs
 * a zone other hosts cannot know).
 */
export function reachableBrokerUrl(
  options: { publicUrl?: string | undefined; bindHost: string; port: number; scheme?: "http" | "https" },
  interfaces: InterfaceAddresses = networkInterfaces(),
): ReachableUrl {
  if (options.publicUrl) return { url: options.publicUrl.replace(/\/+$/, ""), loopbackOnly: false };
  if (!WILDCARDS.has(options.bindHost)) {
    return { url: httpUrl(options.bindHost, options.port, options.scheme), loopbackOnly: LOOPBACK.test(options.bindHost) };
  }
  const candidates = Object.values(interfaces)
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal && !LOOPBACK.test(entry.address) && !entry.address.toLowerCase().startsWith("fe80:"))
    // Bound to 0.0.0.0 the broker listens on IPv4 only.
    .filter((entry) => entry.family === "IPv4" || options.bindHost.includes(":"));
  const chosen = candidates.find((entry) => entry.family === "IPv4") ?? candidates[0];
  return { url: chosen ? httpUrl(chosen.address, options.port, options.scheme) : null, loopbackOnly: false };
}

/** The lines printed at start: how to start an agent on another host. */
export function agentCommandHint(reachable: ReachableUrl, generatedToken: string | undefined): string {
  const token = generatedToken ?? "<enrollment token>";
  const lines = [""];
  if (generatedToken) {
    lines.push("A new enrollment token was generated. It is shown only now; the broker keeps only its hash.", `  ${generatedToken}`);
  }
  // In the environment, not on the command line: every user of a host can read command lines.
  lines.push(
    "Start an agent on each lab host with:",
    `  LABBROKER_ENROLL_TOKEN=${token} labbroker agent --broker ${reachable.url ?? "http://<this-host>:<port>"}`,
  );
  if (reachable.loopbackOnly) {
    lines.push("(The broker listens on loopback only: agents on other hosts cannot reach it; bind another address with --host.)");
  } else if (!reachable.url) {
    lines.push("(This machine has no address other hosts could use; set the URL they reach it at with --public-url.)");
  }
  if (generatedToken) lines.push("(Set your own token with --enroll-token or LABBROKER_ENROLL_TOKEN.)");
  lines.push("(Lost the token? `labbroker enroll-token rotate` prints a new one; agents already registered keep working.)");
  lines.push("");
  return lines.join("\n");
}
