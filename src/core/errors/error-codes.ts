/**
 * The one registry of AstrOS error codes. Every code is stable: programs may match on it.
 * `httpStatus` is what the server answers with when the error reaches the wire.
 */
export const errorCodes = {
  INTERNAL_ERROR: { category: "internal", httpStatus: 500 },
  CONFIG_INVALID: { category: "config", httpStatus: 500 },
  CONFIG_FILE_UNREADABLE: { category: "config", httpStatus: 500 },
  PLUGIN_MANIFEST_INVALID: { category: "plugin", httpStatus: 500 },
  PLUGIN_LOAD_FAILED: { category: "plugin", httpStatus: 500 },
  PLUGIN_INVALID: { category: "plugin", httpStatus: 500 },
  PLUGIN_DUPLICATE: { category: "plugin", httpStatus: 409 },
  PLUGIN_INCOMPATIBLE: { category: "plugin", httpStatus: 500 },
  PLUGIN_NOT_FOUND: { category: "plugin", httpStatus: 404 },
  PLUGIN_HANDLER_NOT_FOUND: { category: "plugin", httpStatus: 404 },
  PLUGIN_HANDLER_FAILED: { category: "plugin", httpStatus: 502 },
  PLUGIN_TIMEOUT: { category: "plugin", httpStatus: 504 },
  PLUGIN_ARGUMENTS_INVALID: { category: "plugin", httpStatus: 400 },
  PROCESSING_FAILED: { category: "processing", httpStatus: 500 },
  INTENT_UNKNOWN: { category: "processing", httpStatus: 422 },
  NO_HANDLER: { category: "processing", httpStatus: 422 },
  REQUEST_INVALID: { category: "processing", httpStatus: 400 },
  FILE_NOT_FOUND: { category: "processing", httpStatus: 404 },
  FILE_SYSTEM_REFUSED: { category: "processing", httpStatus: 409 },
  REQUEST_CANCELLED: { category: "processing", httpStatus: 499 },
  AGENT_NOT_RUNNING: { category: "processing", httpStatus: 503 },
  RATE_LIMITED: { category: "processing", httpStatus: 429 },
  REQUEST_TOO_LARGE: { category: "processing", httpStatus: 413 },
  PERMISSION_DENIED: { category: "permission", httpStatus: 403 },
  GUARD_BLOCKED: { category: "permission", httpStatus: 403 },
  PATH_DENIED: { category: "permission", httpStatus: 403 },
  AUTHENTICATION_FAILED: { category: "authentication", httpStatus: 401 },
  AI_PROVIDER_ERROR: { category: "ai", httpStatus: 502 },
  STORAGE_ERROR: { category: "storage", httpStatus: 500 },
  STORAGE_UNAVAILABLE: { category: "storage", httpStatus: 503 },
  CREDENTIALS_LOCKED: { category: "authentication", httpStatus: 401 },
  CREDENTIALS_WRONG_KEY: { category: "authentication", httpStatus: 401 },
  CREDENTIALS_KEY_FILE_INSECURE: { category: "permission", httpStatus: 500 },
  CREDENTIALS_TAMPERED: { category: "storage", httpStatus: 500 },
  CREDENTIALS_UNSUPPORTED: { category: "storage", httpStatus: 500 },
  CREDENTIAL_NOT_FOUND: { category: "storage", httpStatus: 404 },
  CREDENTIAL_INVALID: { category: "processing", httpStatus: 400 },
} as const satisfies Record<string, { category: ErrorCategory; httpStatus: number }>;

export type ErrorCategory = "internal" | "config" | "plugin" | "processing" | "permission" | "authentication" | "ai" | "storage";

export type ErrorCode = keyof typeof errorCodes;
