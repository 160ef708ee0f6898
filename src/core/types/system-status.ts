export type AgentState = "starting" | "running" | "stopping" | "stopped" | "error";

/** A snapshot of the running agent. */
export interface SystemStatus {
  status: AgentState;
  /** Seconds since start(). */
  uptime: number;
  pluginsLoaded: number;
  activeSessions: number;
  /** Resident memory of this process, MB. */
  memoryUsage: number;
  /** CPU use of this process since the previous sample (or start), percent of one core. */
  cpuUsage: number;
  version: string;
  storage: string;
  plugins: PluginStatus[];
  /** Plugins that failed to load, with the reason. */
  pluginErrors: { source: string; message: string }[];
  /** The AI engine and what this process has spent on the LLM since it started. */
  ai?: AIStatus;
}

export interface AIStatus {
  /** `builtin`, or the LLM provider in use. */
  provider: string;
  model: string;
  /** hybrid, llm or builtin. */
  routing: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  /** Estimated, USD. */
  costUsd: number;
}

export interface PluginStatus {
  name: string;
  version: string;
  status: "active" | "disabled" | "failed";
  description: string;
  source: string;
}
