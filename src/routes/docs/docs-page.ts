/** The assets the API reference page loads, served beside it from the binary (swagger-assets.ts). */
export const DOCS_ASSET_NAMES = ["swagger-ui.css", "swagger-ui-bundle.js", "init.js"] as const;
export type DocsAssetName = (typeof DOCS_ASSET_NAMES)[number];

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
