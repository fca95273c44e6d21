// Imported as text so `bun build --compile` embeds them: the API reference must work on an offline lab network.
import swaggerBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import swaggerCss from "swagger-ui-dist/swagger-ui.css" with { type: "text" };
import type { StaticAsset } from "../static-assets.ts";
import type { DocsAssetName } from "./docs-page.ts";

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: true,
});
`;

export const DOCS_ASSETS: Record<DocsAssetName, StaticAsset> = {
  "swagger-ui.css": { body: swaggerCss, type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { body: swaggerBundle, type: "text/javascript; charset=utf-8" },
  "init.js": { body: INIT_SCRIPT, type: "text/javascript; charset=utf-8" },
};
