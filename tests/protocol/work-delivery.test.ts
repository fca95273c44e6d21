import { expect, test } from "bun:test";
import { agentIncompatibility, PROTOCOL_VERSION } from "../../src/protocol/protocol-version.ts";
import { readArrivedWork } from "../../src/protocol/work-delivery.ts";
import { VERSION } from "../../src/version.ts";

const KILL = { id: "w1", kind: "kill-job", payload: { job_id: "j1", signal: "SIGKILL" }, protocol_version: PROTOCOL_VERSION };

test("work in the agent's protocol version, of a known kind, with a fitting payload is read with its kind", () => {
  expect(readArrivedWork(KILL)).toEqual({ ok: true, value: { kind: "kill-job", payload: { job_id: "j1", signal: "SIGKILL" } } });
});

test("work without a protocol version comes from a broker that predates it: protocol version 1", () => {
  const { protocol_version: _unsent, ...unversioned } = KILL;
  expect(readArrivedWork(unversioned).ok).toBe(PROTOCOL_VERSION === 1);
});

test("work in another protocol version is refused naming both versions", () => {
  expect(readArrivedWork({ ...KILL, protocol_version: PROTOCOL_VERSION + 1 })).toEqual({
    ok: false,
    error: `Work "w1" is written in protocol version ${PROTOCOL_VERSION + 1}; this agent (version ${VERSION}) speaks protocol version ` +
      `${PROTOCOL_VERSION}: run an agent and a broker that speak the same protocol version`,
  });
});

test("work of a kind the agent does not know is refused naming the kind", () => {
  expect(readArrivedWork({ ...KILL, kind: "reboot-host" })).toEqual({
    ok: false,
    error: `This agent (version ${VERSION}, protocol version ${PROTOCOL_VERSION}) cannot run work of kind "reboot-host"`,
  });
});

test("a payload that does not fit its kind is refused naming the field", () => {
  const read = readArrivedWork({ ...KILL, payload: { job_id: "j1", signal: "SIGNOPE" } });
  expect(read.ok).toBe(false);
  if (!read.ok) expect(read.error).toStartWith("Invalid kill-job payload: signal: ");
});

test("an agent is compatible only in the broker's major version and protocol version", () => {
  expect(agentIncompatibility(VERSION, PROTOCOL_VERSION)).toBeNull();
  expect(agentIncompatibility("99.0.0", PROTOCOL_VERSION)).toContain("the major versions must match");
  expect(agentIncompatibility(VERSION, PROTOCOL_VERSION + 1)).toContain(`speaks protocol version ${PROTOCOL_VERSION + 1}`);
});
