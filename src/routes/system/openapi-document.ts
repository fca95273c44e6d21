import { stringify } from "yaml";
import type { Api } from "../api.ts";
import { VERSION } from "../../version.ts";

export const OPENAPI_INFO = {
  title: "labbroker",
  version: VERSION,
  description:
    "Shares a fleet of network-lab hosts between test suites: FIFO sessions, labs (native, containerlab, netlab), jobs and devices. " +
    "The root paths (`/session`, `/lab`, …) serve the Remote Lab API unchanged; `/v1` is the native API with problem+json errors. " +
    "Every route needs an API token (Bearer, or HTTP Basic with the token as password) except `/healthz`, `/readyz`, `/openapi.*`, `/docs`, " +
    "the dashboard's page and script, and `/v1/login` / `/v1/logout`; who may call what is in the README's Security section.",
};

/** The tag of the routes only labbroker agents call, kept apart from the API test suites and people use. */
export const AGENT_PROTOCOL_TAG = "Agent protocol";

const TAGS = [
  {
    name: AGENT_PROTOCOL_TAG,
    description: "How a lab host's agent registers, polls for work and reports back (agent and enrollment tokens); not for API clients.",
  },
];

/** How clients authenticate, as the document's `security` names them. */
export function registerSecuritySchemes(api: Api): void {
  api.openAPIRegistry.registerComponent("securitySchemes", "apiToken", {
    type: "http",
    scheme: "bearer",
    description: "An API token (labbroker token create)",
  });
  api.openAPIRegistry.registerComponent("securitySchemes", "apiTokenAsPassword", {
    type: "http",
    scheme: "basic",
    description: "Any user name, the API token as password (Remote Lab clients)",
  });
}

export type OpenApiDocument = ReturnType<Api["getOpenAPI31Document"]>;

/** Builds the OpenAPI 3.1 document of `api` (call once, after every route is registered). */
export function buildOpenApiDocument(api: Api): OpenApiDocument {
  return api.getOpenAPI31Document({
    openapi: "3.1.0",
    info: OPENAPI_INFO,
    tags: TAGS,
    security: [{ apiToken: [] }, { apiTokenAsPassword: [] }],
  });
}

export function openApiYaml(document: object): string {
  return stringify(document, { aliasDuplicateObjects: false });
}

/** The document `/openapi.json` and `/openapi.yaml` serve: built on first request (all routes exist by then) and kept. */
export class ServedOpenApiDocument {
  readonly #api: Api;
  #built: { json: OpenApiDocument; yaml: string } | undefined;

  constructor(api: Api) {
    this.#api = api;
  }

  get json(): OpenApiDocument {
    return this.#build().json;
  }

  get yaml(): string {
    return this.#build().yaml;
  }

  #build(): { json: OpenApiDocument; yaml: string } {
    if (!this.#built) {
      const json = buildOpenApiDocument(this.#api);
      this.#built = { json, yaml: openApiYaml(json) };
    }
    return this.#built;
  }
}
