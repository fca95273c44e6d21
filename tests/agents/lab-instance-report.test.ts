import { expect, test } from "bun:test";
import { LabInstanceReporter, type LabReport } from "../../src/agents/lab-instance-report.ts";
import { FakeClock } from "../support/fake-clock.ts";

/** A listing the test finishes by hand, as a tool that answers (or hangs) would. */
function controlledListing() {
  const calls: ((labs: LabReport | undefined) => void)[] = [];
  const list = () => new Promise<LabReport | undefined>((resolve) => calls.push(resolve));
  return { list, calls };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const LAB: LabReport = [{ instance_name: "lab1-1", lab_id: "lab-a", runtime: "netlab" }];

test("a listing runs in the background: polls go on meanwhile, the report is offered once it is ready, then every 5 minutes", async () => {
  const clock = new FakeClock();
  const { list, calls } = controlledListing();
  const reporter = new LabInstanceReporter(list, clock);
  expect(reporter.next()).toBeUndefined();
  expect(reporter.listing).toBe(true);
  expect(reporter.next()).toBeUndefined();
  expect(calls).toHaveLength(1);

  calls[0]!(LAB);
  await settle();
  expect(reporter.listing).toBe(false);
  expect(reporter.next()).toEqual(LAB);
  expect(reporter.next()).toEqual(LAB);
  reporter.delivered();
  expect(reporter.next()).toBeUndefined();
  clock.advance(5 * 60_000 - 1);
  expect(reporter.next()).toBeUndefined();
  expect(calls).toHaveLength(1);
  clock.advance(1);
  reporter.next();
  expect(calls).toHaveLength(2);
});

test("a listing overtaken by a finished deploy or destroy is dropped and taken again", async () => {
  const clock = new FakeClock();
  const { list, calls } = controlledListing();
  const reporter = new LabInstanceReporter(list, clock);
  reporter.next();
  reporter.labOperationFinished();
  calls[0]!([]);
  await settle();
  expect(reporter.next()).toBeUndefined();
  expect(calls).toHaveLength(2);
  calls[1]!(LAB);
  await settle();
  reporter.labOperationFinished();
  expect(reporter.next()).toBeUndefined();
  expect(calls).toHaveLength(3);
  calls[2]!(LAB);
  await settle();
  expect(reporter.next()).toEqual(LAB);
});

test("when a runtime cannot list (a tool failed or hung), nothing is reported and the listing is retried 30 s later", async () => {
  const clock = new FakeClock();
  const { list, calls } = controlledListing();
  const reporter = new LabInstanceReporter(list, clock);
  reporter.next();
  calls[0]!(undefined);
  await settle();
  expect(reporter.next()).toBeUndefined();
  expect(reporter.listing).toBe(false);
  clock.advance(30_000);
  reporter.next();
  expect(calls).toHaveLength(2);
});
