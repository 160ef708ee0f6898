import { defineHandler, type HandlerResult, z } from "../../sdk.js";
import { processData } from "./describe-process.js";
import { findPortListeners } from "./find-port-listeners.js";
import { shortCommand } from "./process-matching.js";

const portRange = "a port is a whole number from 1 to 65535";
export const portArgument = z.coerce
  .number({ error: portRange })
  .int({ error: portRange })
  .min(1, { error: portRange })
  .max(65_535, { error: portRange });

/** `process.find_port`: which process listens on a TCP or UDP port. */
export const findPortHandler = defineHandler({
  intent: "process.find_port",
  description: "Find which process is listening on a TCP or UDP port: pid, name, command line, user, protocol and address",
  examples: ["what is using port 3000", "who is listening on port 8080", "which process has port 5432 open"],
  args: z.object({ port: portArgument }),
  readOnly: true,
  requiresPermissions: ["process"],
  run: async ({ port }): Promise<HandlerResult> => {
    if (process.platform !== "linux") {
      return {
        success: false,
        message: `Finding the process on a port is only supported on Linux so far (this is ${process.platform}).`,
        suggestions: [`Try: lsof -nP -i :${port}`],
      };
    }
    const found = await findPortListeners(port);
    const listeners = found.listeners.map((listener) => ({
      protocol: listener.protocol,
      address: listener.address,
      port: listener.port,
      user: listener.user,
      uid: listener.uid,
      ...(listener.process === undefined ? { visible: false } : { visible: true, ...processData(listener.process) }),
    }));
    const data = { port, listeners };
    if (listeners.length === 0) {
      return {
        success: true,
        message: `Nothing is listening on port ${port}.`,
        data,
        suggestions: ["List the busiest processes", "Check that the service is started"],
      };
    }
    const lines = found.listeners.map((listener) => {
      const where = `${listener.protocol} ${listener.address.includes(":") ? `[${listener.address}]` : listener.address}:${port}`;
      return listener.process === undefined
        ? `  ${where}: a process of ${listener.user} that AstrOS may not inspect`
        : `  ${where}: ${listener.process.name} (pid ${listener.process.pid}, ${listener.process.user}) ${shortCommand(listener.process.command, 80)}`;
    });
    const owners = found.processes.map((record) => `${record.name} (pid ${record.pid})`);
    const heading =
      owners.length === 0
        ? `Port ${port} is in use, but its process belongs to another user and cannot be inspected:`
        : `Port ${port} is used by ${owners.join(", ")}:`;
    return {
      success: true,
      message: [heading, ...lines].join("\n"),
      data,
      suggestions: found.hiddenSockets > 0 ? ["Run AstrOS as that user (or as root) to see the process"] : [],
    };
  },
});
