import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { LabBroker } from "../../src/client/broker.ts";
import { runCommand } from "../../src/hosts/command-runner.ts";
import { hasChromium, launchBrowser, NEEDS_CHROMIUM } from "../support/headless-browser.ts";
import { http } from "../support/http.ts";
import { LabCluster } from "../support/lab-cluster.ts";
import { isRoot } from "../support/native-labs.ts";
import { TEST_ADMIN_TOKEN } from "../support/test-broker.ts";
import { uniquelyNamed } from "../support/unique-topology.ts";
import { eventually } from "../support/wait-for.ts";

/**
 * The console in real headless Chromium against a broker and two agents as their own processes:
 * holders, the queue in scheduler order with estimates, a failed lab's error and log, a warm lab, draining from
 * the page (by keyboard), the timeline's bars, the disconnected banner and the recovery.
 * Screenshots go to $LABBROKER_SCREENSHOTS (default: a new temporary folder, printed).
 */
const HOUR = 3_600_000;
/** A time as the console shows it (LB.when): `23:37` today, `Dec 2, 00:07` on another day (a run near midnight). */
const WHEN = String.raw`(?:[A-Z][a-z]{2} \d{1,2}, )?\d\d:\d\d`;
const cluster = new LabCluster();
const shots = process.env.LABBROKER_SCREENSHOTS ?? mkdtempSync(join(tmpdir(), "labbroker-screenshots-"));
let broker: LabBroker;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
let page: Page;
let failedLab: { id: string; error: string | null } | null = null;
const LINE3 = readFileSync(join(import.meta.dir, "../fixtures/line3.clab.yml"), "utf8");
const pageErrors: string[] = [];
let warmLabId: string | null = null;
/** Requests of the page that failed or answered an error: what a page stuck at "connecting…" was waiting for. */
const failedRequests: string[] = [];

/**
 * Opens the console in a new page and waits until it is live. Chromium fails the requests in flight
 * when the host's interfaces change (ERR_NETWORK_CHANGED), which lab hosts do all the time (this
 * file's own labs, other suites' namespaces): the console is then opened again in a fresh page, as
 * its user would reload it, at most three times.
 */
async function openSignedIn(browser: Browser, url: string): Promise<Page> {
  for (let attempt = 1;; attempt++) {
    failedRequests.length = 0;
    const candidate = await browser.newPage();
    let networkChanged = false;
    candidate.on("pageerror", (error) => pageErrors.push(String(error)));
    candidate.on("requestfailed", (request) => {
      networkChanged ||= request.failure()?.errorText === "net::ERR_NETWORK_CHANGED";
      failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
    });
    candidate.on(
      "response",
      (response) => void (response.status() >= 400 && failedRequests.push(`${response.url()}: ${response.status()}`)),
    );
    candidate.on(
      "console",
      (message) =>
        void (message.type() === "error" && !message.text().includes("Failed to load resource") && pageErrors.push(message.text())),
    );
    await candidate.setViewport({ width: 1400, height: 1000 });
    await candidate.goto(url, { waitUntil: "domcontentloaded" });
    const live = await candidate.waitForFunction(
      () => document.getElementById("live")?.textContent === "live",
      { timeout: 20_000 },
    ).then(() => null, (error: Error) => error);
    if (!live) return candidate;
    if (networkChanged && attempt < 3) {
      await candidate.close();
      continue;
    }
    const shown = await candidate.evaluate(() =>
      `${document.getElementById("live")?.textContent} / ${document.getElementById("banner")?.textContent}`
    );
    throw new Error(
      `${live.message}: the page shows "${shown}"; page errors: ${pageErrors.join("; ") || "none"}; failed requests: ${
        failedRequests.join("; ") || "none"
      }`,
    );
  }
}

async function session(body: Record<string, unknown>): Promise<string> {
  const created = await http("POST", `${cluster.url}/v1/sessions`, body);
  if (created.status !== 201) throw new Error(created.text);
  return created.json.id;
}

describe.skipIf(!hasChromium)(`the console in a browser${hasChromium ? "" : ` (${NEEDS_CHROMIUM})`}`, () => {
  beforeAll(async () => {
    mkdirSync(shots, { recursive: true });
    await cluster.startBroker();
    await cluster.startAgent({ name: "dash-a" });
    await cluster.startAgent({ name: "dash-b" });
    broker = new LabBroker({ url: cluster.url, token: TEST_ADMIN_TOKEN });
    const earlier = await session({ requirements: [{ host: "dash-b" }], client: { name: "earlier" } });
    if (isRoot) {
      // A lab kept warm: once 'earlier' ends, dash-b resets it and keeps it for a session asking for it.
      await using attached = await (await broker.attach(earlier)).waitUntilActive({ timeoutS: 30 });
      const warm = await attached.lab(uniquelyNamed(LINE3.replace("name: line3", "name: dashwarm")), {
        fileName: "dashwarm.clab.yml",
        keepWarm: true,
      });
      warmLabId = warm.id;
    }
    await broker.endSession(earlier);
    const nightly = await session({
      requirements: [{ host: "dash-a" }],
      walltime_s: 3600,
      client: { name: "nightly", ci_job_url: "https://ci.example/jobs/42" },
    });
    await session({ requirements: [{ host: "dash-b" }], walltime_s: 1800, client: { name: "smoke" } });
    await session({ requirements: [{}], client: { name: "any-host" } });
    await session({ requirements: [{ host: "dash-a" }], priority: 10, walltime_s: 600, client: { name: "urgent" } });
    await session({
      requirements: [{ host: "dash-a" }],
      walltime_s: 600,
      start_at: new Date(Date.now() + 5 * HOUR).toISOString(),
      client: { name: "booked" },
    });
    if (isRoot) {
      // A lab that fails on its host (the management bridge name is taken), so it has an error and a log.
      const topology = uniquelyNamed(
        LINE3.replace(
          "name: line3",
          "name: dash3\nmgmt: { bridge: lo }",
        ),
      );
      await using attached = await broker.attach(nightly);
      const lab = await attached.lab(topology, { fileName: "dash3.clab.yml" }).catch((error: { lab?: { id: string; error: string } }) =>
        error.lab
      );
      failedLab = lab ? { id: lab.id, error: lab.error } : null;
    }
    if (warmLabId) {
      // The reset changes links on the host; Chromium fails requests in flight on such a change (ERR_NETWORK_CHANGED).
      const id = warmLabId;
      await eventually(async () => (await broker.lab(id)).state === "running", "the warm lab's reset", 30_000);
    }
    // New links get their IPv6 addresses a moment later (duplicate address detection); each is a network change to Chromium.
    await eventually(
      async () => (await runCommand(["ip", "-6", "-o", "addr", "show", "tentative"], { timeoutMs: 5_000 })).stdout.trim() === "",
      "the host's new IPv6 addresses to settle",
      30_000,
    );
    browser = await launchBrowser();
    // The one-click link the broker prints at its first start: the page signs in with it and drops it from the address bar.
    page = await openSignedIn(browser.browser, `${cluster.url}/#token=${TEST_ADMIN_TOKEN}`);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await cluster.stop();
    console.log(`console screenshots: ${shots}`);
  });

  // One evaluation in the page, so a live redraw cannot swap the element between finding and reading it.
  const text = (selector: string) => page.evaluate((css) => (document.querySelector(css) as HTMLElement).innerText, selector);

  test("the one-click link signed the page in and left the token out of the address bar", async () => {
    expect(new URL(page.url()).hash).toBe("");
    expect(await text("#who")).toBe("admin (admin)");
    expect(await page.evaluate(() => (document.getElementById("logout") as HTMLButtonElement).hidden)).toBe(false);
  });

  test("without a token the page asks for one; a token signs the browser in, a wrong one is refused", async () => {
    const context = await browser.browser.createBrowserContext();
    try {
      const fresh = await context.newPage();
      await fresh.goto(cluster.url, { waitUntil: "domcontentloaded" });
      await fresh.waitForFunction(() => (document.getElementById("login") as HTMLDialogElement).open, { timeout: 10_000 });
      await fresh.type("#login-token", "lbt_not-a-token");
      await fresh.keyboard.press("Enter");
      await fresh.waitForFunction(() => document.getElementById("login-error")?.textContent === "Sign-in refused (401)", {
        timeout: 10_000,
      });
      await fresh.evaluate(() => void ((document.getElementById("login-token") as HTMLInputElement).value = ""));
      await fresh.type("#login-token", TEST_ADMIN_TOKEN);
      await fresh.keyboard.press("Enter");
      await fresh.waitForFunction(() => document.getElementById("live")?.textContent === "live", { timeout: 20_000 });
      expect(await fresh.evaluate(() => document.getElementById("who")?.textContent)).toBe("admin (admin)");
    } finally {
      await context.close();
    }
  }, 45_000);

  test("a host card shows its holder with the CI job link and since when", async () => {
    await page.waitForFunction(() => document.querySelector('article[data-host="dash-a"]')?.textContent?.includes("nightly"), {
      timeout: 10_000,
    });
    const card = await text('article[data-host="dash-a"]');
    expect(card).toMatch(new RegExp(String.raw`holder\s+\S{8} nightly since ${WHEN} \(\d+ s\)`));
    expect(await page.$eval('article[data-host="dash-a"] a', (link) => link.getAttribute("href"))).toBe("https://ci.example/jobs/42");
  }, 20_000);

  test("a client's CI job and pipeline become links only when they are http(s) URLs", async () => {
    const rendered = await page.evaluate(() => {
      const lb = (window as unknown as { LB: { clientNode: (client: object) => HTMLElement } }).LB;
      const html = (client: object) => lb.clientNode(client).outerHTML;
      return [
        html({
          name: "net#7",
          ci_job_url: "https://ci.example/jobs/881",
          ci_pipeline_url: "https://ci.example/pipelines/412",
          ci_pipeline: "412",
          ci_branch: "main",
          ci_commit: "9fceb02d0ae598e95dc9",
        }),
        html({ name: "<b>", ci_job_url: "javascript:alert(1)//", ci_pipeline_url: "javascript:alert(2)//" }),
      ];
    });
    expect(rendered[0]).toBe(
      '<span class="client"><a href="https://ci.example/jobs/881" rel="noopener noreferrer" target="_blank">net#7</a> · <a href="https://ci.example/pipelines/412" rel="noopener noreferrer" target="_blank">412</a> · main @ 9fceb02d0a</span>',
    );
    expect(rendered[1]).toBe('<span class="client">&lt;b&gt;</span>');
  });

  test("the queue lists waiting sessions in the order the scheduler serves them, each with an estimated start", async () => {
    const rows = await page.$$eval(
      "#waiting-table tbody tr",
      (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.innerText)),
    );
    expect(rows.map((cells) => [cells[0], cells[6]])).toEqual([
      ["1", "urgent"],
      ["2", "any-host"],
    ]);
    for (const cells of rows) expect(cells[5]).toMatch(new RegExp(String.raw`${WHEN} \(in \d+ (min|h)`));
    expect(rows[0]![4]).toBe("dash-a: nightly");
  }, 20_000);

  test.skipIf(!isRoot)("a failed lab shows its error, and its log opens in the log viewer", async () => {
    expect(failedLab).not.toBeNull();
    await page.waitForFunction(
      (error) => document.getElementById("labs-table")?.innerText.includes(error),
      { timeout: 10_000 },
      failedLab!.error ?? "",
    );
    // Focus and Enter, as a keyboard user would; a live redraw in between keeps the focus on the same button.
    await page.focus('#labs-table button[aria-label^="log of lab dash3"]');
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => (document.getElementById("log-text")?.textContent ?? "").length > 0, { timeout: 10_000 });
    expect(await text("#log-what")).toStartWith("lab dash3");
  }, 20_000);

  test.skipIf(!isRoot)("a warm lab shows until when it waits, on its host's card and in the labs table", async () => {
    await page.waitForFunction(() => document.querySelector('article[data-host="dash-b"]')?.textContent?.includes("warm until"), {
      timeout: 20_000,
    });
    expect(await text('article[data-host="dash-b"]')).toMatch(
      new RegExp(String.raw`labs\s+dashwarm\S* (resetting|running) warm until ${WHEN}`),
    );
    const row = await page.$$eval(
      "#labs-table tbody tr",
      (trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.innerText)).find((cells) => cells[0]!.startsWith("dashwarm")),
    );
    expect(row?.slice(1, 3)).toEqual([expect.stringMatching(new RegExp(String.raw`^(resetting|running) warm until ${WHEN}$`)), "dash-b"]);
  }, 30_000);

  test("the timeline draws one bar per hold and booking of the window, and marks now", async () => {
    // dash-a: nightly's hold and the booking; dash-b: the ended hold of 'earlier' and smoke's hold.
    await page.waitForFunction(() => document.querySelectorAll("#timeline-chart rect.bar").length === 4, { timeout: 10_000 });
    expect(await page.$$eval("#timeline-chart rect.bar", (bars) => bars.map((bar) => bar.getAttribute("class")).sort())).toEqual([
      "bar booking",
      "bar ended",
      "bar hold",
      "bar hold",
    ]);
    expect(await page.$$eval("#timeline-chart line.now", (lines) => lines.length)).toBe(1);
    expect(await page.$$eval("#chart-utilisation canvas", (canvases) => canvases.length)).toBeGreaterThan(0);
    await page.screenshot({ path: join(shots, "console-1400.png"), fullPage: true });
  }, 20_000);

  test("the theme button switches between light and dark, by keyboard too", async () => {
    const theme = () => page.evaluate(() => document.documentElement.dataset.theme);
    const before = await theme();
    await page.focus("#theme");
    await page.keyboard.press("Enter");
    expect(await theme()).toBe(before === "dark" ? "light" : "dark");
    await page.screenshot({ path: join(shots, `console-1400-${await theme()}.png`) });
    await page.keyboard.press("Enter");
    expect(await theme()).toBe(before);
  }, 20_000);

  test("draining a host from the page, by keyboard, asks first and records the reason", async () => {
    await page.focus('article[data-host="dash-b"] button[data-action="drain"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector("#confirm[open]");
    await page.keyboard.type("swap the NIC");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector('article[data-host="dash-b"]')?.textContent?.includes("swap the NIC"), {
      timeout: 10_000,
    });
    expect(await text('article[data-host="dash-b"] h3')).toContain("draining");
    expect(await broker.host("dash-b")).toMatchObject({ state: "draining", admin_reason: "swap the NIC", admin_reason_by: "admin" });
  }, 20_000);

  test("at 420 px nothing is cut: the page is no wider than the screen", async () => {
    await page.setViewport({ width: 420, height: 900 });
    // The charts are redrawn for the new width shortly after the resize.
    await page.waitForFunction(() => document.documentElement.scrollWidth <= 420, { timeout: 5_000 }).catch(() => {});
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(420);
    await page.screenshot({ path: join(shots, "console-420.png"), fullPage: true });
    await page.screenshot({ path: join(shots, "console-420-first-screen.png") });
    await page.setViewport({ width: 1400, height: 1000 });
  }, 20_000);

  test("a stopped broker shows the disconnected banner with the time of the data; a restarted one brings the page back", async () => {
    await cluster.broker.kill("SIGTERM");
    await page.waitForFunction(() => !document.getElementById("banner")!.hidden, { timeout: 20_000 });
    expect(await text("#banner")).toMatch(/^Disconnected — data from \d\d:\d\d\. Reconnecting…$/);
    await page.screenshot({ path: join(shots, "console-disconnected.png") });
    await cluster.startBroker([], cluster.port);
    await page.waitForFunction(() => document.getElementById("banner")!.hidden && document.getElementById("live")?.textContent === "live", {
      timeout: 30_000,
    });
    expect(await text('article[data-host="dash-a"]')).toContain("nightly");
  }, 60_000);

  test("the page's scripts threw no errors along the way", () => {
    expect(pageErrors).toEqual([]);
  }, 20_000);
});
