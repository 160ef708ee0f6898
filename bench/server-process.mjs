// The server under load for server.bench.mjs, in a process of its own so the load generator's CPU is not in its event loop.
//   node bench/server-process.mjs astros   the built AstrOS server (dist/) as `astros serve` runs it, in the HOME it is given
//   node bench/server-process.mjs astros-no-audit   the same with an audit sink that drops entries (what the audit log costs)
//   node bench/server-process.mjs bare     the baseline: bare fastify with GET / {hello: "world"} and a bare WebSocket broadcast
// Prints one JSON line ({url, ...}) once it listens; stops on SIGTERM or when its standard input closes (the bench went away).
// With --expose-gc, SIGUSR2 runs a full collection (before the bench reads its RSS).
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const load = (file) => import(pathToFileURL(path.join(root, "dist", file)).href);
const password = "bench password of enough length";

async function astros(options = {}) {
  const { AstrOSAgent } = await load("agent/astros-agent.js");
  const { startServer } = await load("server/start-server.js");
  // Everything else as `astros serve` has it (bundled plugins, SQLite file, hash-chained audit log with its fsync).
  const agent = new AstrOSAgent({
    configOverrides: { log_level: "warn", rate_limits: { requests_per_minute: 0 } },
    ...(options.audit ? {} : { audit: { record: async () => undefined } }),
  });
  await agent.start();
  const server = await startServer({ agent, host: "127.0.0.1", port: 0 });
  if (server.initialAdmin === undefined) throw new Error("expected a fresh HOME (the first administrator was already there)");
  const admin = await server.auth.login(server.initialAdmin.username, server.initialAdmin.password);
  await server.auth.createUser({ username: "bench", password, role: "user" });
  const user = await server.auth.login("bench", password);
  return {
    ready: { url: server.url, token: user.token, user_id: user.user_id, admin_token: admin.token },
    stop: async () => {
      await server.close();
      await agent.stop();
    },
  };
}

async function bare() {
  const { default: Fastify } = await import("fastify");
  const { default: fastifyWebsocket } = await import("@fastify/websocket");
  const app = Fastify();
  const sockets = new Set();
  await app.register(fastifyWebsocket);
  app.get("/", async () => ({ hello: "world" }));
  // The same handshake and broadcast as AstrOS's, with nothing else: the floor for the WebSocket part.
  app.get("/ws/:id", { websocket: true }, (socket) => {
    socket.once("message", () => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      socket.send(JSON.stringify({ type: "status", data: { status: "connected" } }));
    });
  });
  app.post("/api/v1/broadcast", async (request) => {
    const text = JSON.stringify({ type: "status", data: { status: "broadcast", message: request.body.message } });
    for (const socket of sockets) socket.send(text);
    return { success: true, data: { delivered: sockets.size } };
  });
  await app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = app.server.address();
  return { ready: { url: `http://127.0.0.1:${port}` }, stop: () => app.close() };
}

const modes = {
  astros: () => astros({ audit: true }),
  "astros-no-audit": () => astros({ audit: false }),
  bare,
};
const start = modes[process.argv[2]];
if (start === undefined) {
  console.error(`usage: node bench/server-process.mjs ${Object.keys(modes).join("|")}`);
  process.exit(2);
}
const server = await start();
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await server.stop();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.stdin.on("end", stop);
process.stdin.resume();
process.on("SIGUSR2", () => globalThis.gc?.());
process.stdout.write(`${JSON.stringify(server.ready)}\n`);
