import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { runCommand } from "../../../src/hosts/command-runner.ts";
import { netnsSharingProblem } from "../../../src/hosts/native/netns-sharing.ts";
import { isRoot, NEEDS_ROOT } from "../../support/native-labs.ts";

const line = (id: number, optional: string) => `${id} 27 0:26 /run/netns /run/netns rw,nosuid ${optional} - tmpfs tmpfs rw`;
const mountinfo = (...lines: string[]) => ["22 1 0:21 / / rw shared:1 - ext4 /dev/vda rw", ...lines].join("\n");
const reading = (own: string, host: string) => (path: string) => (path === "/proc/self/mountinfo" ? own : host);

describe("is /run/netns the host's?", () => {
  test("the same mount, or a mount in the host's peer group: yes", () => {
    expect(netnsSharingProblem(reading(mountinfo(line(40, "shared:5")), mountinfo(line(40, "shared:5"))))).toBeNull();
    expect(netnsSharingProblem(reading(mountinfo(line(90, "shared:5")), mountinfo(line(40, "shared:5"))))).toBeNull();
    expect(netnsSharingProblem(reading(mountinfo(), mountinfo()))).toBeNull();
  });

  test("a slave copy, a peer group of its own, or a mount the host lacks: no, saying how to run the agent", () => {
    for (const own of [mountinfo(line(90, "master:5")), mountinfo(line(90, "shared:77 master:5")), mountinfo(line(90, ""))]) {
      const problem = netnsSharingProblem(reading(own, own.includes("master") ? mountinfo(line(40, "shared:5")) : mountinfo()));
      expect(problem).toContain("/run/netns of this agent is not the host's");
      expect(problem).toContain("without PrivateMounts=");
    }
  });

  test("unreadable mountinfo: cannot tell, so no problem is claimed", () => {
    expect(
      netnsSharingProblem(() => {
        throw new Error("EACCES");
      }),
    ).toBeNull();
  });

  test.skipIf(!isRoot)(
    `a process in a private mount namespace is detected, this one is not${isRoot ? "" : ` (${NEEDS_ROOT})`}`,
    async () => {
      expect(netnsSharingProblem()).toBeNull();
      const module = join(import.meta.dir, "../../../src/hosts/native/netns-sharing.ts");
      const script = `const { netnsSharingProblem } = await import(${
        JSON.stringify(module)
      }); console.log(JSON.stringify(netnsSharingProblem()));`;
      // Make sure /run/netns is a mount at all (the first `ip netns add` on a host makes it one).
      await runCommand(["ip", "netns", "list"], { timeoutMs: 5000 });
      const result = await runCommand(["unshare", "--mount", "--propagation", "slave", process.execPath, "-e", script], {
        timeoutMs: 20_000,
      });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toContain("is not the host's");
    },
  );
});
