// Imported as text so `bun build --compile` embeds them: the console must work on an offline lab network.
import uplotCss from "uplot/dist/uPlot.min.css" with { type: "text" };
import uplotScript from "uplot/dist/uPlot.iife.min.js" with { type: "text" };
import apiScript from "./assets/api.browser.js" with { type: "text" };
import chartsScript from "./assets/charts.browser.js" with { type: "text" };
import consoleCss from "./assets/console.css" with { type: "text" };
import formatScript from "./assets/format.browser.js" with { type: "text" };
import mainScript from "./assets/main.browser.js" with { type: "text" };
import viewsScript from "./assets/views.browser.js" with { type: "text" };
import type { StaticAsset } from "../static-assets.ts";
import type { DashboardAssetName } from "./dashboard-page.ts";

const SCRIPT = "text/javascript; charset=utf-8";
const STYLE = "text/css; charset=utf-8";

export const DASHBOARD_ASSETS: Record<DashboardAssetName, StaticAsset> = {
  "uPlot.iife.min.js": { body: uplotScript, type: SCRIPT },
  "uPlot.min.css": { body: uplotCss, type: STYLE },
  "console.css": { body: consoleCss, type: STYLE },
  "api.browser.js": { body: apiScript, type: SCRIPT },
  "format.browser.js": { body: formatScript, type: SCRIPT },
  "charts.browser.js": { body: chartsScript, type: SCRIPT },
  "views.browser.js": { body: viewsScript, type: SCRIPT },
  "main.browser.js": { body: mainScript, type: SCRIPT },
};
