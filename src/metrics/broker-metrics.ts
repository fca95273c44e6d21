import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** Wait and hold times of sessions: seconds to a week. */
const SESSION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1_800, 3_600, 7_200, 21_600, 86_400, 604_800];
/** Lab deploys and destroys: the native runtime takes ~0.1 s, containerlab and netlab minutes. */
const LAB_BUCKETS = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1_200];
const REQUEST_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 30];
const COMMIT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1];

/**
 * The broker's Prometheus metrics. Counters and histograms are fed by the event log and by the
 * request and commit paths; the gauges are read from the live state when scraped (state-metrics.ts).
 */
export class BrokerMetrics {
  readonly registry = new Registry();

  readonly queueDepth = this.#gauge("labbroker_queue_depth", "Waiting sessions per queue pool (sessions asking for the same hosts).", [
    "pool",
  ]);
  readonly sessions = this.#gauge("labbroker_sessions", "Sessions that have not ended, by state.", ["state"]);
  readonly hosts = this.#gauge("labbroker_hosts", "Registered hosts by state (online, offline, draining, maintenance).", ["state"]);
  readonly agentLastSeenAge = this.#gauge(
    "labbroker_agent_last_seen_age_seconds",
    "Seconds the host's agent has been unheard: 0 while its poll is held, else since its last poll or report ended.",
    ["host"],
  );
  readonly databaseSize = this.#gauge("labbroker_database_size_bytes", "Size of the broker's database (pages in use times page size).", []);

  readonly hostBusySeconds = this.#counter(
    "labbroker_host_busy_seconds_total",
    "Seconds a host has been held by active sessions since the broker started.",
    ["host"],
  );
  readonly sessionsEnded = this.#counter("labbroker_sessions_ended_total", "Sessions ended, by end reason.", ["reason"]);
  readonly waitSeconds = this.#histogram(
    "labbroker_session_wait_seconds",
    "Time sessions spent waiting in the queue before they became active.",
    [],
    SESSION_BUCKETS,
  );
  readonly sessionSeconds = this.#histogram("labbroker_session_duration_seconds", "Time sessions held their hosts, by end reason.", [
    "reason",
  ], SESSION_BUCKETS);
  readonly labDeploySeconds = this.#histogram(
    "labbroker_lab_deploy_seconds",
    "Lab deploys from start to running or failed, by runtime and outcome.",
    ["runtime", "outcome"],
    LAB_BUCKETS,
  );
  readonly labDestroySeconds = this.#histogram("labbroker_lab_destroy_seconds", "Lab destroys from stopping to gone, by runtime.", [
    "runtime",
  ], LAB_BUCKETS);
  readonly labFailures = this.#counter("labbroker_lab_failures_total", "Labs that ended failed, by runtime.", ["runtime"]);
  readonly jobsFinished = this.#counter(
    "labbroker_jobs_finished_total",
    "Jobs finished, by outcome (passed, failed, timed_out, killed, error).",
    ["outcome"],
  );
  readonly workSeconds = this.#histogram(
    "labbroker_work_seconds",
    "Work items from queued to reported done by the host's agent (delivery by long poll included), by kind and result.",
    ["kind", "ok"],
    LAB_BUCKETS,
  );
  readonly requestSeconds = this.#histogram("labbroker_http_request_duration_seconds", "HTTP requests by method, route and status.", [
    "method",
    "route",
    "status",
  ], REQUEST_BUCKETS);
  readonly commitSeconds = this.#histogram(
    "labbroker_db_commit_seconds",
    "Group commits of the broker's write journal.",
    [],
    COMMIT_BUCKETS,
  );
  readonly commitFailures = this.#counter(
    "labbroker_db_commit_failures_total",
    "Group commits that failed (the change was refused with 503).",
    [],
  );

  #gauge<L extends string>(name: string, help: string, labelNames: L[]) {
    return new Gauge<L>({ name, help, labelNames, registers: [this.registry] });
  }

  #counter<L extends string>(name: string, help: string, labelNames: L[]) {
    return new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  }

  #histogram<L extends string>(name: string, help: string, labelNames: L[], buckets: number[]) {
    return new Histogram<L>({ name, help, labelNames, buckets, registers: [this.registry] });
  }
}
