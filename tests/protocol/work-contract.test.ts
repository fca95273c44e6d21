import { describe, expect, test } from "bun:test";
import { parseWorkPayload, parseWorkResult, WORK_CONTRACTS } from "../../src/protocol/work-contract.ts";
import { WORK_KINDS, type WorkKind } from "../../src/protocol/work-kinds.ts";

const LAB = { instance_name: "tiny-1767225600", runtime: "native", topology_file: "tiny.clab.yml", multilab_id: null } as const;
const NODE = { name: "r1", kind: "linux", state: "running", mgmtIpv4: null, mgmtIpv6: null, raw: {} };
const JOB = {
  id: "019b0000-0000-7000-8000-000000000000",
  argv: ["true"],
  background: false,
  timeoutMs: 5_000,
  expectFailure: false,
  parseJson: false,
  maxOutputBytes: 1024,
};
const JOB_RESULT = {
  id: JOB.id,
  state: "finished" as const,
  passed: true,
  exitCode: 0,
  signal: null,
  timedOut: false,
  error: null,
  stdout: "",
};
const UNDO = { action: "remove-device", netns: null, device: "br0" };

/** Per kind: a payload the engine builds and a result an agent reports, then bad ones with the field the error must name. */
const CASES: {
  [K in WorkKind]: { payload: unknown; result: unknown; badPayload: [unknown, string]; badResult: [unknown, string] };
} = {
  "refresh-inventory": {
    payload: {},
    result: { runtimes: [{ name: "native", version: "6.1.0" }], inventory: { kernel: "6.1" } },
    badPayload: [null, "refresh-inventory payload: "],
    badResult: [{ runtimes: [{ name: "vagrant", version: null }], inventory: {} }, "runtimes.0.name: "],
  },
  "deploy-lab": {
    payload: { ...LAB, timeout_ms: 60_000 },
    result: { nodes: [NODE] },
    badPayload: [{ ...LAB, instance_name: "../etc", timeout_ms: 60_000 }, "instance_name: must be a safe instance name"],
    badResult: [{ nodes: [{ ...NODE, name: 7 }] }, "nodes.0.name: "],
  },
  "destroy-lab": {
    payload: { ...LAB, topology_file: null, reason: "no lab owns this instance" },
    result: { destroyed: LAB.instance_name },
    badPayload: [{ ...LAB, runtime: "vagrant", reason: "x" }, "runtime: "],
    badResult: [{}, "destroyed: "],
  },
  "reset-lab": {
    payload: { ...LAB, timeout_ms: 60_000, session_id: "019b0000-0000-7000-8000-000000000001" },
    result: { nodes: [NODE] },
    badPayload: [{ ...LAB, timeout_ms: 60_000 }, "session_id: "],
    badResult: [{ nodes: "r1" }, "nodes: "],
  },
  "run-job": {
    payload: { job: JOB, lab: LAB, node: "r1" },
    result: JOB_RESULT,
    badPayload: [{ job: { ...JOB, timeoutMs: "soon" } }, "job.timeoutMs: "],
    badResult: [{ ...JOB_RESULT, passed: "yes" }, "passed: "],
  },
  "kill-job": {
    payload: { job_id: JOB.id, signal: "SIGTERM" },
    result: { delivered: true, message: "signalled" },
    badPayload: [{ job_id: JOB.id, signal: "SIGBOGUS" }, "signal: "],
    badResult: [{ delivered: "maybe", message: "" }, "delivered: "],
  },
  "device-op": {
    payload: { operation: "create", spec: { kind: "veth", name: "a", peer: "b", peerNetns: "ns1" }, lab: null, node: null, netns: "ns2" },
    result: { value: { changes: 1 }, undo: [UNDO] },
    badPayload: [{ operation: "change", device: 5 }, "device: "],
    badResult: [{ value: null, undo: [{ action: "explode" }] }, "undo.0.action: "],
  },
  "file-transfer": {
    payload: { direction: "upload", path: "/tmp/key", content_base64: "a2V5", max_bytes: 1024, lab: null, node: null },
    result: { value: { path: "/tmp/key", size: 3 } },
    badPayload: [{ direction: "download", path: "/tmp/key" }, "max_bytes: "],
    badResult: [{ value: { path: "/tmp/key", size: "3" } }, "size: "],
  },
  "health-check": {
    payload: { mode: "check", reason: "session-ended", session_id: "s1", host_wide: true },
    result: { clean: true, gate: "full", checked: ["processes"], differences: [], baseline_at: null },
    badPayload: [{ mode: "check", reason: "whim", host_wide: true }, "reason: "],
    badResult: [{ clean: "mostly", differences: [] }, "clean: "],
  },
};

describe("the work contract", () => {
  test("every work kind has a payload and a result schema", () => {
    expect(Object.keys(WORK_CONTRACTS).sort()).toEqual([...WORK_KINDS].sort());
  });

  for (const kind of WORK_KINDS) {
    const { payload, result, badPayload, badResult } = CASES[kind];
    test(`${kind}: the payload and result as broker and agent send them are read`, () => {
      expect(parseWorkPayload(kind, payload)).toMatchObject({ ok: true });
      expect(parseWorkResult(kind, result)).toMatchObject({ ok: true });
    });
    test(`${kind}: a bad payload or result is refused naming the kind and the field`, () => {
      const refusedPayload = parseWorkPayload(kind, badPayload[0]);
      expect(refusedPayload.ok).toBe(false);
      if (!refusedPayload.ok) expect(refusedPayload.error).toStartWith(`Invalid ${kind} payload: `);
      if (!refusedPayload.ok) expect(refusedPayload.error).toContain(badPayload[1]);
      const refusedResult = parseWorkResult(kind, badResult[0]);
      expect(refusedResult.ok).toBe(false);
      if (!refusedResult.ok) expect(refusedResult.error).toStartWith(`Invalid ${kind} result: `);
      if (!refusedResult.ok) expect(refusedResult.error).toContain(badResult[1]);
    });
  }

  test("defaults are applied as the agent reads them: a target defaults to the host, a device change to no address change", () => {
    const read = parseWorkPayload("device-op", { operation: "change", device: "eth0" });
    expect(read).toEqual({
      ok: true,
      value: { operation: "change", device: "eth0", add_addresses: [], remove_addresses: [], lab: null, node: null, netns: null },
    });
  });

  test("a job's outcome keeps every field the agent reported", () => {
    const read = parseWorkResult("run-job", { ...JOB_RESULT, truncated: { stdout: 0, stderr: 0 } });
    expect(read).toEqual({ ok: true, value: { ...JOB_RESULT, truncated: { stdout: 0, stderr: 0 } } });
  });
});
