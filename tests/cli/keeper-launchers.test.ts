import { expect, test } from "bun:test";
import { isLauncher } from "../../src/cli/keeper/job-process.ts";

const cmdline = (...argv: string[]) => argv.join("\0") + "\0";

test("npm's processes and the sh -c it starts for labbroker are launchers, passed over when the keeper looks for the job", () => {
  // npm retitles its process: /proc/PID/cmdline then holds the title padded with spaces, no NULs.
  expect(isLauncher("npm exec labbroker session create --shell     ")).toBe(true);
  expect(isLauncher("npm run lab          ")).toBe(true);
  expect(isLauncher("npm exec labbroker session create --shell --warm-lab /tmp/t.clab.yml   ")).toBe(true);
  expect(isLauncher(cmdline("/usr/bin/npx", "--no-install", "labbroker"))).toBe(true);
  expect(isLauncher(cmdline("node", "/usr/lib/node_modules/npm/bin/npx-cli.js", "labbroker"))).toBe(true);
  expect(isLauncher(cmdline("sh", "-c", "labbroker session create --shell"))).toBe(true);
  expect(isLauncher(cmdline("/bin/sh", "-c", "labbroker"))).toBe(true);
  expect(isLauncher(cmdline("sh", "-c", "'labbroker' session create --shell"))).toBe(true);
});

test("the job's own shells are not launchers, even when their script is about labbroker", () => {
  expect(isLauncher(cmdline("bash", "-e", "/tmp/runner/step.sh"))).toBe(false);
  expect(isLauncher(cmdline("bash", "-c", "./run-labbroker-tests.sh"))).toBe(false);
  expect(isLauncher(cmdline("sh", "-c", 'eval "$(labbroker session create --shell)"; make test'))).toBe(false);
  expect(isLauncher(cmdline("/home/runner/Runner.Worker", "spawnclient", "107", "110"))).toBe(false);
  expect(isLauncher(null)).toBe(false);
});
