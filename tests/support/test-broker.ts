import { DEFAULT_LIMITS } from "../../src/broker.ts";
import { silentLogger } from "../../src/log.ts";
import { createBrokerApp } from "../../src/routes/app.ts";

/** A fresh broker app for one test, answering through `app.request()`. */
export function createTestApp() {
  return createBrokerApp({ log: silentLogger, limits: DEFAULT_LIMITS });
}
