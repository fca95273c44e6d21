import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer, { type Browser, TimeoutError } from "puppeteer-core";

/** Debian's chromium (scripts/install-system-packages.sh installs it). */
export const CHROMIUM = "/usr/bin/chromium";
export const hasChromium = existsSync(CHROMIUM);
export const NEEDS_CHROMIUM = `needs Chromium at ${CHROMIUM} (Debian package chromium: apt-get install chromium)`;

/**
 * Headless Chromium with a fresh profile, no network of its own (no updates, no sync, no QUIC); `close` removes the profile.
 * A launch that never prints its DevTools endpoint (seen once in a full CI run, never alone) is tried once more in a new
 * profile, with Chromium's own output passed through so a second failure shows why.
 */
export async function launchBrowser(): Promise<{ browser: Browser; close: () => Promise<void> }> {
  try {
    return await launchOnce({ showOutput: false });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    console.warn(`Chromium did not start (${error.message}); trying once more with its output shown`);
    return await launchOnce({ showOutput: true });
  }
}

async function launchOnce({ showOutput }: { showOutput: boolean }): Promise<{ browser: Browser; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), "labbroker-chromium-"));
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    dumpio: showOutput,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
  }).catch((error: unknown) => {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  });
  return {
    browser,
    async close() {
      await browser.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
