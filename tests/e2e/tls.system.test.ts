import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventually } from "../support/wait-for.ts";
import {
  brokerUrl,
  environmentWithoutLabbroker,
  listenArgs,
  startLabbroker,
  stopAllProcesses,
  TEST_CREDENTIALS,
} from "../support/processes.ts";

const folder = mkdtempSync(join(tmpdir(), "labbroker-tls-"));
afterAll(async () => {
  await stopAllProcesses();
  rmSync(folder, { recursive: true, force: true });
});

const openssl = Bun.spawnSync(["openssl", "version"], { stdout: "pipe", stderr: "pipe" }).exitCode === 0;

/** A self-signed certificate for 127.0.0.1, valid for a day. */
function selfSignedCertificate(): { cert: string; key: string } {
  const cert = join(folder, "cert.pem");
  const key = join(folder, "key.pem");
  const made = Bun.spawnSync([
    "openssl",
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "1",
    "-subj",
    "/CN=127.0.0.1",
    "-addext",
    "subjectAltName=IP:127.0.0.1",
  ], { stdout: "pipe", stderr: "pipe" });
  if (made.exitCode !== 0) throw new Error(`openssl failed: ${made.stderr.toString()}`);
  return { cert, key };
}

describe.skipIf(!openssl)(`HTTPS${openssl ? "" : " (openssl is needed to make a test certificate: apt-get install openssl)"}`, () => {
  test("--tls-cert/--tls-key serve HTTPS; an agent and a client command with --ca-file trust it, a client without it does not", async () => {
    const { cert, key } = selfSignedCertificate();
    const broker = startLabbroker([
      "broker",
      ...listenArgs(join(folder, "broker.db")),
      "--enroll-token",
      "lbe_tls-test-enrollment",
      "--tls-cert",
      cert,
      "--tls-key",
      key,
    ]);
    const url = await brokerUrl(broker);
    expect(url).toStartWith("https://127.0.0.1:");
    startLabbroker(["agent", "--broker", url, "--name", "tls-host", "--work-dir", join(folder, "agent"), "--ca-file", cert], {
      env: { LABBROKER_ENROLL_TOKEN: "lbe_tls-test-enrollment" },
    });
    const hosts = async (...extra: string[]) => {
      const command = Bun.spawn([process.execPath, join(import.meta.dir, "../../main.ts"), "hosts", "--json", "--broker", url, ...extra], {
        env: { ...environmentWithoutLabbroker(), ...TEST_CREDENTIALS },
        stdout: "pipe",
        stderr: "pipe",
      });
      const [code, stdout, stderr] = await Promise.all([
        command.exited,
        new Response(command.stdout).text(),
        new Response(command.stderr).text(),
      ]);
      return { code, stdout, stderr };
    };
    const listed = await eventually(async () => {
      const result = await hosts("--ca-file", cert);
      return result.code === 0 && JSON.parse(result.stdout)[0]?.state === "online" ? result : null;
    }, "the agent to register over HTTPS");
    expect(JSON.parse(listed.stdout)[0].name).toBe("tls-host");
    const untrusted = await hosts();
    expect(untrusted.code).toBe(1);
    expect(untrusted.stderr).toContain("Cannot reach the broker");
  });
});
