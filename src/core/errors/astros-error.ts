import { type ErrorCategory, type ErrorCode, errorCodes } from "./error-codes.js";

const brand = Symbol.for("astros.error");

export interface AstrOSErrorOptions {
  /** Stable machine-readable code from the error registry. */
  code?: ErrorCode;
  /** What a person can do about it. */
  recovery?: string;
  /** Structured context (file, field, plugin, ...). Never put secrets here. */
  details?: Record<string, unknown>;
  cause?: unknown;
}

/** Plain-data form of an error, safe to print, log or send on the wire. */
export interface ErrorInfo {
  name: string;
  code: ErrorCode;
  category: ErrorCategory;
  message: string;
  recovery?: string;
  details?: Record<string, unknown>;
}

/** Base of every AstrOS error: a stable code, a category and a recovery hint. */
export class AstrOSError extends Error {
  readonly code: ErrorCode;
  readonly recovery: string | undefined;
  readonly details: Record<string, unknown>;
  readonly [brand] = true;

  constructor(message: string, options: AstrOSErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? this.defaultCode();
    this.recovery = options.recovery;
    this.details = options.details ?? {};
  }

  protected defaultCode(): ErrorCode {
    return "INTERNAL_ERROR";
  }

  get category(): ErrorCategory {
    return errorCodes[this.code].category;
  }

  get httpStatus(): number {
    return errorCodes[this.code].httpStatus;
  }

  /** Brand check that works across copies of the package (plugins may bundle their own). */
  static isInstance(value: unknown): value is AstrOSError {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }

  toJSON(): ErrorInfo {
    const info: ErrorInfo = { name: this.name, code: this.code, category: this.category, message: this.message };
    if (this.recovery !== undefined) info.recovery = this.recovery;
    if (Object.keys(this.details).length > 0) info.details = this.details;
    return info;
  }
}

/** Turn anything thrown into an ErrorInfo a person can read. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (AstrOSError.isInstance(error)) return error.toJSON();
  const message = error instanceof Error ? error.message : String(error);
  return { name: "Error", code: "INTERNAL_ERROR", category: "internal", message };
}
