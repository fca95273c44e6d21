import { expect, test } from "bun:test";
import { newId } from "../../src/engine/ids.ts";

const timestampOf = (id: string) => parseInt(id.replace(/-/g, "").slice(0, 12), 16);

test("ids are version-7 UUIDs carrying their time, and later ids sort later", () => {
  const early = newId(Date.UTC(2026, 0, 1));
  const late = newId(Date.UTC(2026, 0, 1) + 1);
  expect(early).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(timestampOf(early)).toBeGreaterThanOrEqual(Date.UTC(2026, 0, 1));
  expect(late > early).toBe(true);
  expect(newId(1) === newId(1)).toBe(false);
});

test("ids made within one millisecond still sort in the order they were made", () => {
  const now = Date.now();
  const ids = Array.from({ length: 5000 }, () => newId(now));
  expect([...ids].sort()).toEqual(ids);
  expect(new Set(ids).size).toBe(ids.length);
});

test("an id made with an earlier timestamp still sorts after the ids made before it", () => {
  const now = Date.now();
  const later = newId(now + 5);
  const earlierStamp = newId(now + 4);
  const sameAgain = newId(now + 5);
  expect(earlierStamp > later).toBe(true);
  expect(sameAgain > earlierStamp).toBe(true);
});
