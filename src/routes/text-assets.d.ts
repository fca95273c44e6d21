/** Files imported as text (`with { type: "text" }`) and served from the binary: the API reference and the dashboard. */
declare module "swagger-ui-dist/swagger-ui-bundle.js" {
  const text: string;
  export default text;
}
declare module "*.css" {
  const text: string;
  export default text;
}
declare module "uplot/dist/uPlot.iife.min.js" {
  const text: string;
  export default text;
}
/** The dashboard's browser scripts, served as they are (never imported as modules). */
declare module "*.browser.js" {
  const text: string;
  export default text;
}
