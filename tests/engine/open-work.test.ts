import { expect, test } from "bun:test";
import { OpenWork } from "../../src/engine/work/open-work.ts";

test("a late timeout of an earlier wait does not drop a newer waiter on the same key", async () => {
  const open = new OpenWork();
  const never = new AbortController().signal;
  let releaseFirstTimeout!: () => void;
  const firstTimeout = new Promise<void>((resolve) => (releaseFirstTimeout = resolve));
  const first = open.waitForOutput("work:1", firstTimeout, never);
  open.notifyOutput({ id: "1", labId: null, jobId: null } as never);
  await first;

  let secondWoken = false;
  const second = open.waitForOutput("work:1", new Promise(() => {}), never).then(() => (secondWoken = true));
  releaseFirstTimeout();
  await Promise.resolve();
  await Promise.resolve();
  open.notifyOutput({ id: "1", labId: null, jobId: null } as never);
  await second;
  expect(secondWoken).toBe(true);
});
