import { expect, test } from "bun:test";
import { newId } from "../../src/engine/ids.ts";

test("ids are version-7 UUIDs that sort by creation time", () => {
  const early = newId(Date.UTC(2026, 0, 1));
  const late = newId(Date.UTC(2026, 0, 1) + 1);
  expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(early.slice(0, 13)).toBe("019b76da-a800");
  expect(late > early).toBe(true);
  expect(newId(1) === newId(1)).toBe(false);
});

test("ids made within one millisecond still sort in the order they were made", () => {
  const now = Date.UTC(2026, 0, 1, 12);
  const ids = Array.from({ length: 2048 }, () => newId(now));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
  expect(ids.every((id) => id.startsWith(newId(now).slice(0, 13)))).toBe(true);
});
