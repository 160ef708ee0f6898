import type { AstrOSAgent } from "../../agent/astros-agent.js";
import { startServer } from "../../server/start-server.js";
import type { Output } from "../output.js";

/**
 * `astros serve`: the server until SIGINT or SIGTERM, then a graceful stop: no new requests,
 * those in flight finish, sessions' processes are stopped. On the first start it creates the
 * administrator and prints its one-time password, once.
 */
export async function serve(options: { agent: AstrOSAgent; output: Output; host?: string; port?: number; logLevel?: string }) {
  const { output } = options;
  const { colors } = output;
  const server = await startServer({
    agent: options.agent,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    ...(options.logLevel === undefined ? {} : { logLevel: options.logLevel }),
  });
  output.err(`${colors.bold("AstrOS server")} on ${colors.cyan(server.url)}  (API docs: ${server.url}/docs; Ctrl-C stops it)`);
  if (!server.sandbox.available) {
    output.err(
      colors.yellow(
        `The sandbox for server users is not available (${server.sandbox.reason}): their commands will be refused until it is.`,
      ),
    );
  }
  if (server.initialAdmin !== undefined) {
    output.err(
      colors.yellow(
        `Created the first administrator: ${colors.bold(server.initialAdmin.username)} / ${colors.bold(server.initialAdmin.password)}\n` +
          "This password is shown once: sign in with it, then change it with `astros users passwd admin`.",
      ),
    );
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals) => resolve(received);
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
  });
  output.err(colors.dim(`${signal}: stopping (requests in flight finish first)…`));
  await server.close();
  return 0;
}
