import { expect, test } from "bun:test";
import { unsupportedVersionReason } from "../../src/agents/tool-versions.ts";

test.each(
  [
    ["containerlab", "0.79.0", null],
    ["containerlab", "0.74.3", null],
    ["containerlab", "0.74.10", null],
    ["containerlab", "v0.80.0-rc1", null],
    ["containerlab", "0.74.2", "containerlab 0.74.2 is older than 0.74.3, the oldest version this agent supports"],
    ["containerlab", "0.67.1", "containerlab 0.67.1 is older than 0.74.3, the oldest version this agent supports"],
    ["netlab", "26.03", null],
    ["netlab", "26.02", null],
    ["netlab", "25.12", "netlab 25.12 is older than 26.02, the oldest version this agent supports"],
    ["netlab", null, "netlab is installed but its version could not be read (need 26.02 or later)"],
  ] as const,
)("%s %p: %p", (tool, version, reason) => {
  expect(unsupportedVersionReason(tool, version)).toBe(reason);
});
