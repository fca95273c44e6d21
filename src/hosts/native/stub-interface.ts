import { batchLine, IpBatchError, runIpBatch } from "./ip-batch.ts";

/**
 * containerlab's `dummy` links need the kernel's dummy driver. Minimal kernels (some VM images)
 * are built without it; an ifb device behaves the same for a stub network (up with carrier, takes
 * addresses, no ARP, drops what is sent to it), so the native runtime falls back to ifb there and
 * says so.
 */
export type StubInterfaceKind = "dummy" | "ifb";

/** Creates and deletes a dummy interface named `probeName` to learn whether the kernel has the driver. */
export async function detectStubInterfaceKind(
  probeName: string,
  bounds: { timeoutMs: number; signal?: AbortSignal },
): Promise<StubInterfaceKind> {
  try {
    await runIpBatch([batchLine("link", "add", "name", probeName, "type", "dummy"), batchLine("link", "del", "dev", probeName)], bounds);
    return "dummy";
  } catch (error) {
    if (error instanceof IpBatchError && error.result.stderr.includes("Unknown device type")) return "ifb";
    throw error;
  }
}
