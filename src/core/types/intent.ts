import type { UserRequest } from "./user-request.js";

/** What a request means: an intent type (a tool name such as `files.organize`) and its slots. */
export interface Intent {
  type: string;
  /** 0..1, how sure the recognizer is. */
  confidence: number;
  /** The slots: paths, sizes, dates, names... keyed by slot name. */
  entities: Record<string, unknown>;
  context: Record<string, unknown>;
  timestamp: Date;
  originalRequest: UserRequest;
}

/** The intent type for a request AstrOS cannot map to any capability. */
export const UNKNOWN_INTENT = "unknown";
