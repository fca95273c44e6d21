import { expect, test } from "bun:test";
import { loadOnce } from "../../src/routes/static-assets.ts";

test("assets load once for every caller; a load that failed is tried again by the next caller", async () => {
  let loads = 0;
  const assets = loadOnce(async () => {
    loads++;
    if (loads === 1) throw new Error("import failed");
    return { "main.js": { body: "x", type: "text/javascript" } };
  });
  const [first, second] = await Promise.allSettled([assets(), assets()]);
  expect([first.status, second.status, loads]).toEqual(["rejected", "rejected", 1]);
  expect(await assets()).toEqual({ "main.js": { body: "x", type: "text/javascript" } });
  expect(await assets()).toBe(await assets());
  expect(loads).toBe(2);
});
