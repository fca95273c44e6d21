import { describe, expect, test } from "bun:test";
import { TopologyError } from "../../../src/topology/topology-error.ts";
import { readDaemonsFile } from "../../../src/hosts/native/frr/frr-daemons-file.ts";

/** The daemons file is read as data: frrinit.sh would source it as root and eval its options. */
describe("FRR daemons file", () => {
  test("the example's file is read and written back normalised, with its enabled daemons", () => {
    const file = readDaemonsFile(
      "zebra=yes\nospfd=yes\nbgpd=no\n# a comment\nvtysh_enable=yes\nzebra_options=\"  -A 127.0.0.1 -s 90000000\"\nospfd_options='-A 127.0.0.1'\n",
      "binds[1]",
    );
    expect(file.enabled).toEqual(["zebra", "ospfd"]);
    expect(file.text).toBe(
      'zebra="yes"\nospfd="yes"\nbgpd="no"\nvtysh_enable="yes"\nzebra_options="  -A 127.0.0.1 -s 90000000"\nospfd_options="-A 127.0.0.1"\n',
    );
  });

  test.each([
    ["shell syntax", "ospfd=yes; rm -rf /", "is not KEY=VALUE without shell syntax"],
    ["command substitution", 'ospfd_options="$(id)"', "is not KEY=VALUE without shell syntax"],
    ["a path in options", 'zebra_options="-z /var/run/frr/other/zserv.api"', "no paths or shell syntax"],
    ["another instance", 'bgpd_options="-N other"', "may not set -N"],
    ["a wrapper", 'all_wrap="strace"', "is not a daemons setting"],
    ["an odd enable value", "bgpd=sure", "must be yes or no"],
  ])("%s is refused naming the line", (_case, line, message) => {
    const error = (() => {
      try {
        readDaemonsFile(`zebra=yes\n${line}\n`, "nodes.r1.binds[0]");
      } catch (caught) {
        return caught as TopologyError;
      }
      throw new Error("accepted");
    })();
    expect(error).toBeInstanceOf(TopologyError);
    expect(error.field).toBe("nodes.r1.binds[0]");
    expect(error.message).toContain("daemons line 2");
    expect(error.message).toContain(message);
  });
});
