import { afterEach, expect, test } from "bun:test";
import { startJob } from "../../../src/hosts/jobs/start-job.ts";
import { isRoot } from "../../support/host-processes.ts";
import { createTestNamespace, deleteTestNamespace } from "../../support/test-namespace.ts";

let namespace: string | undefined;
afterEach(async () => {
  if (namespace) await deleteTestNamespace(namespace);
  namespace = undefined;
});

test.skipIf(!isRoot)("a job with netns runs inside that network namespace (needs root to create namespaces)", async () => {
  namespace = await createTestNamespace();
  const inside = await startJob({ id: "in-ns", timeoutMs: 10_000, argv: ["ip", "-j", "link", "show"], netns: namespace, parseJson: true })
    .done;
  expect(inside.passed).toBe(true);
  expect((inside.result as { ifname: string }[]).map((link) => link.ifname)).toEqual(["lo"]);
  const identity = await startJob({ id: "which-ns", timeoutMs: 10_000, argv: ["ip", "netns", "identify"], netns: namespace }).done;
  expect(identity.stdout.trim()).toBe(namespace);
});
