/** A fetch that also trusts `caPem` for HTTPS (a broker with a private CA or a self-signed certificate). */
export function fetchTrusting(caPem: string): (input: string, init?: RequestInit) => Promise<Response> {
  const deno = (globalThis as { Deno?: { createHttpClient(options: { caCerts: string[] }): unknown } }).Deno;
  if (typeof Bun !== "undefined") return (input, init) => fetch(input, { ...init, tls: { ca: caPem } } as RequestInit);
  if (deno) {
    const client = deno.createHttpClient({ caCerts: [caPem] });
    return (input, init) => fetch(input, { ...init, client } as RequestInit);
  }
  throw new Error("a CA file needs Bun or Deno; under Node set NODE_EXTRA_CA_CERTS instead");
}
