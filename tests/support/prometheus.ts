import { spawnSync } from "node:child_process";

/**
 * Debian's python3 with the Prometheus project's own client library, whose parser reads what a
 * Prometheus server would. Debian's interpreter by its path: another python3 first on PATH (pyenv)
 * does not see Debian's packages.
 */
const PYTHON = "/usr/bin/python3";
const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
families = [
    {"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]}
    for f in text_string_to_metric_families(sys.stdin.read())
]
print(json.dumps(families))
`;

/** Why the reference parser cannot run here, or null when it can. */
export function prometheusParserMissing(): string | null {
  const probe = spawnSync(PYTHON, ["-c", "import prometheus_client.parser"], { encoding: "utf8" });
  if (probe.status === 0) return null;
  return `the Prometheus text-format parser of python3-prometheus-client is needed (apt-get install python3-prometheus-client): ${
    (probe.stderr || probe.error?.message || "").trim()
  }`;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Family {
  name: string;
  type: string;
  samples: Sample[];
}

/** A `/metrics` answer, read by the Prometheus client library's parser (it throws on malformed text). */
export class Scrape {
  readonly #families: Family[];

  constructor(text: string) {
    const parsed = spawnSync(PYTHON, ["-c", PARSE], { input: text, encoding: "utf8" });
    if (parsed.status !== 0) throw new Error(`the metrics are not valid Prometheus text: ${parsed.stderr}`);
    this.#families = JSON.parse(parsed.stdout) as Family[];
  }

  /** The family's type as the parser read it (`counter`, `gauge`, `histogram`). */
  type(family: string): string | undefined {
    return this.#families.find((candidate) => candidate.name === family)?.type;
  }

  /** One sample's value by its full name (`x_total`, `x_count`), matching `labels`; 0 when absent. */
  value(sample: string, labels: Record<string, string> = {}): number {
    for (const family of this.#families) {
      const found = family.samples.find(
        (candidate) => candidate.name === sample && Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
      );
      if (found) return found.value;
    }
    return 0;
  }

  /** A histogram's observation count and sum; zeros when the series does not exist yet. */
  histogram(name: string, labels: Record<string, string> = {}): { count: number; sum: number } {
    return { count: this.value(`${name}_count`, labels), sum: this.value(`${name}_sum`, labels) };
  }
}
