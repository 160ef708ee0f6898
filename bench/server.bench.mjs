// The HTTP and WebSocket server under load, against bare fastify (and a bare WebSocket broadcast) measured in the same run
// with the same settings. Each server runs in a child process (bench/server-process.mjs); autocannon and the WebSocket
// clients run here. Uses the built dist/ (npm run build first).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import autocannon from "autocannon";
import { isolatedEnvironment } from "./isolated-home.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..");
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const warmupSeconds = 1;
const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const wantedSockets = Number(process.env.BENCH_SOCKETS ?? 5000);
const broadcasts = Number(process.env.BENCH_BROADCASTS ?? 20);
const warmupBroadcasts = 2;

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))];
}

/** Start bench/server-process.mjs in `mode` and wait for its JSON line. */
async function startChild(mode, env) {
  const child = spawn(process.execPath, ["--expose-gc", path.join(here, "server-process.mjs"), mode], {
    env,
    stdio: ["pipe", "pipe", "inherit"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const line = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`the ${mode} server exited (${code}) before it listened`)));
  });
  return {
    ...JSON.parse(line),
    pid: child.pid,
    async stop() {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident memory of a process, MB, after a full collection (Linux; undefined elsewhere). */
async function rssMb(pid) {
  try {
    process.kill(pid, "SIGUSR2");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match === null ? undefined : Number(match[1]) / 1024;
  } catch {
    return undefined;
  }
}

/** autocannon with a warm-up first (not counted). */
async function load(options) {
  await autocannon({ ...options, connections, duration: warmupSeconds });
  const result = await autocannon({ ...options, connections, duration: seconds });
  return {
    perSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    failed: result.non2xx + result.errors + result.timeouts,
  };
}

/** `count` signed-in sockets, opened 200 at a time (the listen backlog is finite); as many as opened. */
async function openSockets(AstrOSWebSocketClient, url, id, token, count) {
  const sockets = [];
  let failed = 0;
  let firstError;
  for (let start = 0; start < count; start += 200) {
    const batch = await Promise.allSettled(
      Array.from({ length: Math.min(200, count - start) }, () => AstrOSWebSocketClient.connect(url, id, token)),
    );
    for (const result of batch) {
      if (result.status === "fulfilled") sockets.push(result.value);
      else {
        failed++;
        firstError ??= result.reason;
      }
    }
  }
  if (failed > 0) console.log(`  ${failed} sockets failed to open: ${firstError?.message}`);
  return sockets;
}

/** `broadcasts` admin broadcasts, each waited for at every socket; latency from sending the POST to each receipt. */
async function measureBroadcasts(url, adminToken, sockets) {
  const latencies = [];
  const answered = [];
  let missed = 0;
  let sentAt = 0;
  let current = "";
  let received = 0;
  let allReceived = () => undefined;
  for (const socket of sockets) {
    socket.on("status", (message) => {
      if (message.data?.status !== "broadcast" || message.data.message !== current) return;
      latencies.push(performance.now() - sentAt);
      if (++received === sockets.length) allReceived();
    });
  }
  for (let index = 0; index < warmupBroadcasts + broadcasts; index++) {
    if (index === warmupBroadcasts) {
      latencies.length = 0;
      answered.length = 0;
    }
    current = `bench ${index}`;
    received = 0;
    const all = new Promise((resolve) => {
      allReceived = resolve;
    });
    sentAt = performance.now();
    const response = await fetch(`${url}/api/v1/broadcast`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(adminToken === undefined ? {} : { authorization: `Bearer ${adminToken}` }),
      },
      body: JSON.stringify({ message: current }),
    });
    if (!response.ok) throw new Error(`broadcast answered ${response.status}: ${await response.text()}`);
    answered.push(performance.now() - sentAt);
    let timer;
    const timeout = new Promise((resolve) => {
      timer = setTimeout(() => resolve("timeout"), 10_000);
    });
    if ((await Promise.race([all, timeout])) === "timeout") missed += sockets.length - received;
    clearTimeout(timer);
  }
  latencies.sort((a, b) => a - b);
  answered.sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1),
    answeredP50: percentile(answered, 0.5),
    missed,
  };
}

async function socketRound(AstrOSWebSocketClient, server, id, token, count) {
  const before = await rssMb(server.pid);
  const started = performance.now();
  const sockets = await openSockets(AstrOSWebSocketClient, server.url, id, token, count);
  const openSeconds = (performance.now() - started) / 1000;
  const after = await rssMb(server.pid);
  const timing = await measureBroadcasts(server.url, server.admin_token, sockets);
  await Promise.all(sockets.map((socket) => socket.close()));
  const perConnectionKb = before === undefined || after === undefined ? undefined : ((after - before) * 1024) / sockets.length;
  return { held: sockets.length, openSeconds, perConnectionKb, ...timing };
}

/** The soft limit on open files (each socket is one here and one in the server). */
function openFileLimit() {
  const result = spawnSync("sh", ["-c", "ulimit -n"], { encoding: "utf8" });
  const text = result.stdout.trim();
  return text === "unlimited" ? Number.POSITIVE_INFINITY : Number(text) || undefined;
}

export async function run() {
  const { AstrOSWebSocketClient } = await import(pathToFileURL(path.join(root, "dist/client/websocket-client.js")).href);
  const temporary = mkdtempSync(path.join(os.tmpdir(), "astros-bench-server-"));
  /** Each server gets a HOME of its own (a fresh database, so a first administrator). */
  const environment = (name) => isolatedEnvironment(path.join(temporary, name));
  const began = performance.now();
  const limit = openFileLimit();
  let count = wantedSockets;
  if (limit !== undefined && limit < wantedSockets + 256) {
    count = Math.max(0, limit - 256);
    console.log(`note: ulimit -n is ${limit}: holding ${count} sockets instead of ${wantedSockets} (raise it to hold them all)`);
  }
  const children = [];
  let started = 0;
  const start = async (mode) => {
    const child = await startChild(mode, environment(`${mode}-${++started}`));
    children.push(child);
    return child;
  };
  const stop = async (child) => {
    children.splice(children.indexOf(child), 1);
    await child.stop();
  };
  try {
    console.log(
      `autocannon: ${connections} connections, ${seconds} s per route after a ${warmupSeconds} s warm-up; each server in a child process; ${os.cpus().length} CPUs, node ${process.version}`,
    );
    const bare = await start("bare");
    const baseline = await load({ url: `${bare.url}/` });
    await stop(bare);

    const post = (server) => ({
      url: `${server.url}/api/v1/process`,
      method: "POST",
      headers: { authorization: `Bearer ${server.token}`, "content-type": "application/json" },
      body: JSON.stringify({ text: "hello" }),
    });
    const astros = await start("astros");
    const health = await load({ url: `${astros.url}/api/health` });
    const sample = post(astros);
    const check = await fetch(sample.url, sample);
    const answer = await check.json();
    const processed = await load(post(astros));
    await stop(astros);

    const unaudited = await start("astros-no-audit");
    const processedUnaudited = await load(post(unaudited));
    await stop(unaudited);

    console.log("route                                     req/s   p50 ms   p99 ms   failed   req/s × bare   p99 × bare");
    const rows = [
      ["bare fastify GET /", baseline],
      ["astros GET /api/health", health],
      ['astros POST /api/v1/process "hello"', processed],
      ["  the same, audit entries dropped", processedUnaudited],
    ];
    for (const [name, row] of rows) {
      console.log(
        `${name.padEnd(40)} ${row.perSecond.toFixed(0).padStart(6)} ${row.p50.toFixed(1).padStart(8)} ${row.p99.toFixed(1).padStart(8)} ${String(row.failed).padStart(8)} ${(row.perSecond / baseline.perSecond).toFixed(3).padStart(14)} ${(row.p99 / Math.max(baseline.p99, 1)).toFixed(1).padStart(12)}`,
      );
    }
    console.log(
      `process: answers ${check.status}, success ${answer.success} (${JSON.stringify(answer.message)}); includes the bearer token's check against the database, the agent pipeline and the hash-chained audit log (entries recorded together share one fsync); rate limit off (rate_limits.requests_per_minute = 0)`,
    );

    // Fresh servers for the sockets, so that their memory is compared on equal terms.
    const bareHub = await start("bare");
    const bareSockets = await socketRound(AstrOSWebSocketClient, bareHub, "bench", "none", count);
    await stop(bareHub);
    const astrosHub = await start("astros");
    const sockets = await socketRound(AstrOSWebSocketClient, astrosHub, astrosHub.user_id, astrosHub.token, count);
    await stop(astrosHub);
    console.log(
      `websocket: ${count} signed-in sockets held; ${broadcasts} broadcasts (after ${warmupBroadcasts} not counted), each awaited at every socket`,
    );
    console.log(
      "server                 held   open s   server RSS KB/conn   POST answered p50 ms   p50 ms   p99 ms   max ms   missed   p99 × bare",
    );
    for (const [name, row] of [
      ["bare fastify + ws", bareSockets],
      ["astros /ws/{user_id}", sockets],
    ]) {
      console.log(
        `${name.padEnd(20)} ${String(row.held).padStart(6)} ${row.openSeconds.toFixed(1).padStart(8)} ${(row.perConnectionKb?.toFixed(1) ?? "n/a").padStart(20)} ${row.answeredP50.toFixed(1).padStart(22)} ${row.p50.toFixed(1).padStart(8)} ${row.p99.toFixed(1).padStart(8)} ${row.max.toFixed(1).padStart(8)} ${String(row.missed).padStart(8)} ${(row.p99 / bareSockets.p99).toFixed(2).padStart(12)}`,
      );
    }
    console.log(
      "broadcast latency: from sending POST /api/v1/broadcast to each socket's receipt (POST answered: once the server has queued every frame); every socket is in this one client process, so receipt includes reading all the frames here",
    );
    console.log(`took ${((performance.now() - began) / 1000).toFixed(0)} s`);
  } finally {
    for (const child of children.splice(0)) await child.stop();
    rmSync(temporary, { recursive: true, force: true });
  }
}
