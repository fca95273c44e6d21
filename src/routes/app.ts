import { HTTPException } from "hono/http-exception";
import { requestId } from "hono/request-id";
import { DomainError } from "../engine/errors.ts";
import { TopologyError } from "../topology/topology-error.ts";
import type { EngineContext } from "../engine/context.ts";
import type { Logger } from "../log.ts";
import type { MetricsExporter } from "../metrics/metrics-exporter.ts";
import type { AnonymousPolicy } from "../engine/access/anonymous-policy.ts";
import { authorize } from "./access/authorize.ts";
import { refuseCrossSiteRequests } from "./access/browser-origin.ts";
import { type Api, createApi } from "./api.ts";
import type { HttpLimits } from "./http-limits.ts";
import { BodyBudget } from "./requests/body-budget.ts";
import { bodyGuard } from "./requests/body-guard.ts";
import { routeBodyLimits } from "./requests/route-body-limits.ts";
import { EventFanout } from "./streams/event-fanout.ts";
import { HistoryPages } from "./streams/history-pages.ts";
import { ReplayBudget } from "./streams/replay-budget.ts";
import { StreamGate } from "./streams/stream-gate.ts";
import { registerGetDashboard } from "./dashboard/get-dashboard.ts";
import { registerGetDashboardAsset } from "./dashboard/get-dashboard-asset.ts";
import { registerGetDocs } from "./docs/get-docs.ts";
import { registerGetDocsAsset } from "./docs/get-docs-asset.ts";
import { registerGetWhoami } from "./identity/get-whoami.ts";
import { registerPostLogin } from "./identity/post-login.ts";
import { registerPostLogout } from "./identity/post-logout.ts";
import { domainErrorResponse, errorResponse, fieldIssuesResponse, FieldValidationError, type ProblemStatus } from "./problem.ts";
import { registerRoutes } from "./register-routes.ts";
import { requestLog } from "./request-log.ts";
import { requestMetrics } from "./request-metrics.ts";
import { registerHealthz } from "./system/get-healthz.ts";
import { registerGetReadyz } from "./system/get-readyz.ts";
import { registerGetMetrics } from "./system/get-metrics.ts";
import { registerGetOpenApiJson } from "./system/get-openapi-json.ts";
import { registerGetOpenApiYaml } from "./system/get-openapi-yaml.ts";
import { registerSecuritySchemes, ServedOpenApiDocument } from "./system/openapi-document.ts";

export interface BrokerAppDeps {
  log: Logger;
  limits: HttpLimits;
  engine: EngineContext;
  metrics: MetricsExporter;
  access: AccessSettings;
}

export interface AccessSettings {
  /** What clients without a token may do. */
  anonymous: AnonymousPolicy;
  /** The broker's public URL: browsers' state-changing requests must come from its origin (or the requested host). */
  publicUrl?: string | undefined;
}

/** Builds the broker's HTTP application. It never listens: tests call `app.request()`. */
export function createBrokerApp(deps: BrokerAppDeps): Api {
  const api = createApi();
  api.use(requestId());
  api.use(requestLog(deps.log));
  api.use(requestMetrics(deps.metrics.metrics));
  // Both look at headers only: a refused request's body is never read.
  api.use(refuseCrossSiteRequests(deps.access.publicUrl));
  api.use(authorize(deps.engine, deps.access.anonymous));
  api.use(bodyGuard(deps.limits, new BodyBudget(deps.limits.maxBodiesInMemoryBytes), deps.engine.clock, routeBodyLimits(api, deps.limits)));

  registerHealthz(api);
  registerGetReadyz(api, deps.engine);
  const document = new ServedOpenApiDocument(api);
  registerGetOpenApiJson(api, document);
  registerGetOpenApiYaml(api, document);
  registerGetMetrics(api, deps.metrics);
  registerGetDocs(api);
  registerGetDocsAsset(api);
  registerGetDashboard(api);
  registerGetDashboardAsset(api);
  const routeDeps = {
    engine: deps.engine,
    log: deps.log,
    streams: new StreamGate(deps.limits),
    fanout: new EventFanout(deps.engine.events, deps.log),
    history: new HistoryPages(deps.engine),
    replays: new ReplayBudget(),
  };
  registerRoutes(api, routeDeps);
  registerPostLogin(api, routeDeps, (url) => url.startsWith("https:") || Boolean(deps.access.publicUrl?.startsWith("https:")));
  registerPostLogout(api);
  registerGetWhoami(api, routeDeps);
  registerSecuritySchemes(api);

  api.notFound((c) =>
    c.req.path === "/v1" || c.req.path.startsWith("/v1/")
      ? errorResponse(c, 404, "Not found", `No route for ${c.req.method} ${c.req.path}`)
      : c.json({ detail: "Not Found" }, 404)
  );
  api.onError((error, c) => {
    if (error instanceof DomainError) return domainErrorResponse(c, error);
    if (error instanceof FieldValidationError) return fieldIssuesResponse(c, error.issues);
    if (error instanceof TopologyError) return errorResponse(c, 400, "Invalid topology", error.message, { field: error.field });
    if (error instanceof HTTPException && error.status < 500) {
      return errorResponse(c, error.status as ProblemStatus, "Invalid request", error.message || "The request could not be read");
    }
    deps.log.error("unhandled error", { error, path: c.req.path, requestId: c.get("requestId") });
    return errorResponse(c, 500, "Internal error", "The broker failed unexpectedly; the request id is in the response headers");
  });
  return api;
}
