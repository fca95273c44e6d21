import { expect, test } from "bun:test";
import { createLogger } from "../src/log.ts";

function capture() {
  const lines: Record<string, unknown>[] = [];
  return { lines, log: createLogger({ level: "debug", write: (line) => lines.push(JSON.parse(line)), now: () => 0 }) };
}

test("an error logged at error level keeps its stack, to find the fault behind a 500", () => {
  const { lines, log } = capture();
  const failure = new TypeError("cannot read x");
  log.error("unhandled error", { error: failure, path: "/v1/hosts" });
  expect(lines).toEqual([{
    ts: "1970-01-01T00:00:00.000Z",
    level: "error",
    msg: "unhandled error",
    path: "/v1/hosts",
    error: { name: "TypeError", message: "cannot read x", stack: failure.stack },
  }]);
  expect(String((lines[0]!.error as { stack: string }).stack)).toContain("log.test.ts");
});

test("an error logged below error level (an expected failure) is named without its stack", () => {
  const { lines, log } = capture();
  log.warn("broker unreachable", { error: new Error("connection refused") });
  expect(lines[0]!.error).toEqual({ name: "Error", message: "connection refused" });
});
