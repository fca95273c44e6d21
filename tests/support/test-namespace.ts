import { randomBytes } from "node:crypto";
import { runChecked, runCommand } from "../../src/hosts/command-runner.ts";

/** A fresh, uniquely named network namespace for one test; the name never clashes with other runs. */
export async function createTestNamespace(prefix = "lbt"): Promise<string> {
  const name = `${prefix}-${randomBytes(4).toString("hex")}`;
  await runChecked(["ip", "netns", "add", name], { timeoutMs: 10_000 });
  return name;
}

/** Deletes a namespace made by `createTestNamespace`; its soft devices go with it. */
export async function deleteTestNamespace(name: string): Promise<void> {
  await runCommand(["ip", "netns", "delete", name], { timeoutMs: 10_000 });
}
