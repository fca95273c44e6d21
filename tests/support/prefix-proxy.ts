/**
 * A reverse proxy for tests: `bun prefix-proxy.ts PORT PREFIX TARGET` forwards `PREFIX/…` to
 * `TARGET/…` and answers anything else 404. SIGUSR1 toggles "broker restarting" mode, in which
 * every request is answered 502 as a proxy does while its backend is down. Each request is
 * printed on stdout as `STATUS METHOD PATH`.
 */
const [port, prefix, target] = process.argv.slice(2) as [string, string, string];
let failing = false;
process.on("SIGUSR1", () => {
  failing = !failing;
  console.log(`mode ${failing ? "502" : "pass"}`);
});

const server = Bun.serve({
  hostname: "0.0.0.0",
  port: Number(port),
  idleTimeout: 120,
  async fetch(request) {
    const url = new URL(request.url);
    const answer = (status: number, response: Response) => {
      console.log(`${status} ${request.method} ${url.pathname}`);
      return response;
    };
    if (!url.pathname.startsWith(`${prefix}/`)) return answer(404, new Response("not behind this proxy", { status: 404 }));
    if (failing) {
      return answer(502, new Response("<html>502 Bad Gateway</html>", { status: 502, headers: { "content-type": "text/html" } }));
    }
    try {
      const upstream = await fetch(`${target}${url.pathname.slice(prefix.length)}${url.search}`, {
        method: request.method,
        headers: request.headers,
        ...(request.method === "GET" || request.method === "HEAD" ? {} : { body: await request.arrayBuffer() }),
        signal: request.signal,
      });
      return answer(upstream.status, new Response(await upstream.arrayBuffer(), { status: upstream.status, headers: upstream.headers }));
    } catch {
      return answer(502, new Response("bad gateway", { status: 502 }));
    }
  },
});
console.log(`listening ${server.port}`);
