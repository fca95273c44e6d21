import { afterEach, describe, expect, test } from "bun:test";
import { adminFetch } from "./support/http.ts";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brokerUrl, startLabbroker, stopAllProcesses } from "./support/processes.ts";

const folders: string[] = [];
afterEach(async () => {
  await stopAllProcesses();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe("broker process", () => {
  test("starts on its defaults in an empty folder, creates its database, and stops gracefully on SIGTERM", async () => {
    const folder = mkdtempSync(join(tmpdir(), "labbroker-process-"));
    folders.push(folder);
    const broker = startLabbroker(["broker", "--port", "0", "--host", "127.0.0.1"], { cwd: folder });
    const url = await brokerUrl(broker);
    expect((await adminFetch(`${url}/healthz`)).status).toBe(204);
    expect((await adminFetch(`${url}/v1/hosts`)).status).toBe(200);
    expect(existsSync(join(folder, "data", "labbroker.db"))).toBe(true);

    expect(await broker.kill("SIGTERM")).toBe(0);
    expect(broker.logs.some((line) => line.msg === "broker stopped")).toBe(true);
    // Probes are logged at debug (below the default level); other requests at info.
    const requests = broker.logs.filter((line) => line.msg === "request");
    expect(requests).toEqual([expect.objectContaining({ method: "GET", path: "/v1/hosts", status: 200, level: "info" })]);
  });
});
