import { join } from "node:path";
import { NativeRuntime } from "../../src/hosts/native/native-runtime.ts";

/** Destroys every native lab an agent's work dir records, so a failed test leaves no namespaces behind. */
export async function destroyNativeLabsOf(agentWorkDir: string): Promise<void> {
  const runtime = new NativeRuntime({ stateDir: join(agentWorkDir, "native-labs") });
  for (const instance of await runtime.listRunning().catch(() => [])) {
    await runtime.destroy({
      labId: instance.labId ?? "",
      instanceName: instance.instanceName,
      workDir: join(agentWorkDir, "labs", instance.instanceName),
      topologyFile: "",
      timeoutMs: 30_000,
    }, () => {});
  }
}
