import { expect } from "bun:test";
import { type HostErrorReason, HostRequestError } from "../../src/hosts/host-errors.ts";

/** Asserts that `action` is refused with a HostRequestError of this reason and exact message. */
export async function expectRefusal(
  action: Promise<unknown> | (() => unknown),
  reason: HostErrorReason,
  message: string | RegExp,
): Promise<void> {
  let error: unknown;
  try {
    await (typeof action === "function" ? action() : action);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(HostRequestError);
  expect((error as HostRequestError).reason).toBe(reason);
  if (typeof message === "string") expect((error as HostRequestError).message).toBe(message);
  else expect((error as HostRequestError).message).toMatch(message);
}
