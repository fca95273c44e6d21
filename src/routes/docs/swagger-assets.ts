// Imported as text so `bun build --compile` embeds them: the API reference must work on an offline lab network.
import swaggerBundle from "swagger-ui-dist/swagger-ui-bundle.js" with { type: "text" };
import swaggerCss from "swagger-ui-dist/swagger-ui.css" with { type: "text" };

const INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  validatorUrl: null,
  tryItOutEnabled: true,
});
`;

export const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>labbroker API reference</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
`;

export const DOCS_ASSETS = {
  "swagger-ui.css": { body: swaggerCss, type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { body: swaggerBundle, type: "text/javascript; charset=utf-8" },
  "init.js": { body: INIT_SCRIPT, type: "text/javascript; charset=utf-8" },
} as const;

export type DocsAssetName = keyof typeof DOCS_ASSETS;
