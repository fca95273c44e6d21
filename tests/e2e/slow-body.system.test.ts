import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brokerUrl, listenArgs, startLabbroker, stopAllProcesses } from "../support/processes.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";

const BODY_TIMEOUT_S = 2;
/** Past the deadline: the housekeeping of one event-loop turn and the 408 on its way. */
const SLACK_S = 2;

const folders: string[] = [];
afterEach(async () => {
  await stopAllProcesses();
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

test("a client sending its body a byte every 5 s gets 408 and loses its connection within --body-timeout and 2 s", async () => {
  const folder = mkdtempSync(join(tmpdir(), "labbroker-slow-body-"));
  folders.push(folder);
  const broker = startLabbroker([
    "broker",
    ...listenArgs(join(folder, "broker.db")),
    "--body-timeout",
    String(BODY_TIMEOUT_S),
  ]);
  const url = new URL(await brokerUrl(broker));
  const socket = connect(Number(url.port), url.hostname);
  let answer = "";
  const closed = new Promise<number>((resolve) => {
    socket.on("data", (chunk) => (answer += chunk.toString("latin1")));
    socket.on("close", () => resolve(performance.now()));
    socket.on("error", () => {});
  });
  const started = performance.now();
  socket.write(
    `POST /v1/sessions HTTP/1.1\r\nhost: ${url.host}\r\nauthorization: Bearer ${TEST_ADMIN_TOKEN}\r\n` +
      `content-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
  );
  const trickle = setInterval(() => socket.destroyed || socket.write(" "), 5_000);
  const limit = setTimeout(() => socket.destroy(), (BODY_TIMEOUT_S + SLACK_S + 5) * 1000);
  try {
    const elapsedS = ((await closed) - started) / 1000;
    expect(answer).toStartWith("HTTP/1.1 408");
    expect(answer).toContain(`The request body did not arrive within ${BODY_TIMEOUT_S} s`);
    expect(elapsedS).toBeGreaterThanOrEqual(BODY_TIMEOUT_S - 0.1);
    expect(elapsedS).toBeLessThan(BODY_TIMEOUT_S + SLACK_S);
  } finally {
    clearInterval(trickle);
    clearTimeout(limit);
    socket.destroy();
  }
}, 20_000);
