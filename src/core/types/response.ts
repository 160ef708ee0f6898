import type { ErrorInfo } from "../errors/astros-error.js";

/** What AstrOS answers: a message for people, data for programs. */
export interface Response {
  success: boolean;
  message: string;
  data?: Record<string, unknown>;
  suggestions: string[];
  requiresFollowup: boolean;
  metadata: ResponseMetadata;
}

export interface ResponseMetadata {
  /** Set when success is false because something failed. */
  error?: ErrorInfo;
  intent?: string;
  confidence?: number;
  plugin?: string;
  handler?: string;
  durationMs?: number;
  requestId?: string;
  /** Set when the action carried risk: MODERATE actions, and DANGEROUS ones the user confirmed. */
  risk?: { level: string; reasons: string[] };
  [key: string]: unknown;
}

export interface ResponseInit {
  success: boolean;
  message: string;
  data?: Record<string, unknown>;
  suggestions?: string[];
  requiresFollowup?: boolean;
  metadata?: ResponseMetadata;
}

/** Build a Response with defaults for the optional fields. */
export function createResponse(init: ResponseInit): Response {
  return {
    success: init.success,
    message: init.message,
    ...(init.data === undefined ? {} : { data: init.data }),
    suggestions: init.suggestions ?? [],
    requiresFollowup: init.requiresFollowup ?? false,
    metadata: init.metadata ?? {},
  };
}

/** How a response is meant to be presented. */
export enum ResponseFormat {
  TEXT = "text",
  VOICE = "voice",
  GUI = "gui",
  JSON = "json",
}
