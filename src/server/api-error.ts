import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { AstrOSError, type ErrorInfo } from "../core/errors/astros-error.js";
import type { ErrorCode } from "../core/errors/error-codes.js";

/**
 * Every error on the wire has one shape: the AstrOS envelope (`success: false`, `error` with a
 * stable code, the message and what to do) plus the agent-session API's `detail`. Never a stack.
 */
export const errorBody = z
  .object({
    success: z.literal(false),
    detail: z.string().describe("The message (the agent-session API's field)"),
    error: z.object({
      code: z.string(),
      category: z.string().optional(),
      message: z.string(),
      recovery: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .describe("An error");

export type ErrorBody = z.infer<typeof errorBody>;

/**
 * The statuses any route may answer besides its own, all with the error shape: bad input (400), not
 * signed in (401), not allowed (403), not found (404), a conflict (409), too large (413), a URL or
 * path parameter too long (414), a body that is not JSON (415), the wrong Host (421), a step that needs
 * a yes (428), too many requests (429), header fields too large (431), a fault (500), stopping (503).
 * Added to every route's schema in one place (createHttpServer), so the OpenAPI document lists them all.
 */
export const sharedErrorStatuses = [400, 401, 403, 404, 409, 413, 414, 415, 421, 428, 429, 431, 500, 503] as const;

export function errorPayload(info: Pick<ErrorInfo, "code" | "message"> & Partial<ErrorInfo>): ErrorBody {
  return {
    success: false,
    detail: info.message,
    error: {
      code: info.code,
      ...(info.category === undefined ? {} : { category: info.category }),
      message: info.message,
      ...(info.recovery === undefined ? {} : { recovery: info.recovery }),
      ...(info.details === undefined ? {} : { details: info.details }),
    },
  };
}

/** An error with its HTTP status, for the routes to throw. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** The server's error handler: bad input is a 400 naming the field, AstrOS errors keep their code and status. */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: `${error.validationContext ?? "body"}${issue.instancePath.replaceAll("/", ".")}`,
      message: issue.message ?? "invalid",
    }));
    const message = `Invalid request: ${issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ")}`;
    reply.status(400).send(errorPayload({ code: "REQUEST_INVALID", message, details: { issues } }));
    return;
  }
  if (error instanceof HttpError) {
    reply.status(error.statusCode).send(
      errorPayload({
        code: error.code,
        message: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      }),
    );
    return;
  }
  if (AstrOSError.isInstance(error)) {
    if (error.httpStatus >= 500) request.log.error({ err: error }, error.message);
    const retryAfter = error.details.retryAfterSeconds;
    if (typeof retryAfter === "number") reply.header("retry-after", String(retryAfter));
    reply.status(error.httpStatus).send(errorPayload(error.toJSON()));
    return;
  }
  const status = (error as FastifyError).statusCode;
  if (typeof status === "number" && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? "REQUEST_TOO_LARGE" : status === 404 ? "NOT_FOUND" : "REQUEST_INVALID";
    reply.status(status).send(errorPayload({ code, message: error.message }));
    return;
  }
  request.log.error({ err: error }, "request failed");
  reply
    .status(500)
    .send(errorPayload({ code: "INTERNAL_ERROR", message: "Something went wrong on the server; the log has the details." }));
}
