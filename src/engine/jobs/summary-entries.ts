/** One job of a session's results summary, as LNST prints it: verdict and formatted result. */
export interface SummaryJob {
  number: number;
  id: string;
  description: string | null;
  node: string | null;
  state: string;
  verdict: "PASS" | "FAIL" | "RUNNING";
  result: string;
}

/** One host of the summary (by its role) with its jobs in order. */
export interface SummaryHost {
  role: string;
  host: string;
  jobs: SummaryJob[];
}
