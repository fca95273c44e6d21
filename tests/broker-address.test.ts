import { describe, expect, test } from "bun:test";
import type { NetworkInterfaceInfo } from "node:os";
import { agentCommandHint, localBrokerUrl, reachableBrokerUrl } from "../src/broker-address.ts";

const entry = (address: string, family: "IPv4" | "IPv6", internal = false): NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: "",
    mac: "00:00:00:00:00:00",
    cidr: null,
    ...(family === "IPv6" ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;

const machine = {
  lo: [entry("127.0.0.1", "IPv4", true), entry("::1", "IPv6", true)],
  eth0: [entry("fe80::1", "IPv6"), entry("2001:db8::10", "IPv6"), entry("192.0.2.10", "IPv4")],
};
const ipv6Only = { lo: [entry("::1", "IPv6", true)], eth0: [entry("fe80::1", "IPv6"), entry("2001:db8::10", "IPv6")] };

describe("the agent command line printed at start", () => {
  test("bound to all IPv4 addresses: one of the machine's own, never loopback", () => {
    expect(reachableBrokerUrl({ bindHost: "0.0.0.0", port: 8000 }, machine)).toEqual({
      url: "http://192.0.2.10:8000",
      loopbackOnly: false,
    });
  });

  test("bound to all addresses on an IPv6-only machine: the global IPv6 address in brackets, not the link-local one", () => {
    expect(reachableBrokerUrl({ bindHost: "::", port: 8001 }, ipv6Only).url).toBe("http://[2001:db8::10]:8001");
    expect(reachableBrokerUrl({ bindHost: "0.0.0.0", port: 8001 }, ipv6Only).url).toBeNull();
  });

  test("bound to one address: that address, IPv6 in brackets", () => {
    expect(reachableBrokerUrl({ bindHost: "192.0.2.10", port: 8000 }, machine).url).toBe("http://192.0.2.10:8000");
    expect(reachableBrokerUrl({ bindHost: "2001:db8::10", port: 8000 }, machine).url).toBe("http://[2001:db8::10]:8000");
  });

  test("bound to loopback: said to be reachable from this machine only", () => {
    const reachable = reachableBrokerUrl({ bindHost: "::1", port: 8001 }, machine);
    expect(reachable).toEqual({ url: "http://[::1]:8001", loopbackOnly: true });
    expect(agentCommandHint(reachable, undefined)).toContain("listens on loopback only");
  });

  test("--public-url wins, path prefix kept", () => {
    expect(reachableBrokerUrl({ publicUrl: "https://proxy.lab/lb/", bindHost: "0.0.0.0", port: 8000 }, machine).url).toBe(
      "https://proxy.lab/lb",
    );
  });

  test("the hint is a command line to copy, with the generated token or a placeholder", () => {
    const reachable = { url: "http://192.0.2.10:8000", loopbackOnly: false };
    expect(agentCommandHint(reachable, "lbe_secret")).toContain(
      "  LABBROKER_ENROLL_TOKEN=lbe_secret labbroker agent --broker http://192.0.2.10:8000\n",
    );
    expect(agentCommandHint(reachable, undefined)).toContain(
      "LABBROKER_ENROLL_TOKEN=<enrollment token> labbroker agent --broker http://192.0.2.10:8000",
    );
    expect(agentCommandHint({ url: null, loopbackOnly: false }, undefined)).toContain("--public-url");
  });

  test("local clients use loopback when the broker is bound to all addresses", () => {
    expect(localBrokerUrl("0.0.0.0", 8000)).toBe("http://127.0.0.1:8000");
    expect(localBrokerUrl("::1", 8001)).toBe("http://[::1]:8001");
  });
});
