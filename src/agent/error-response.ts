import { type AstrOSError, toErrorInfo } from "../core/errors/astros-error.js";
import { createResponse, type Response, type ResponseMetadata } from "../core/types/response.js";

/** The Response for something not done: the error's message, its recovery hint as a suggestion, its info in metadata. */
export function errorResponse(error: AstrOSError, metadata: ResponseMetadata = {}): Response {
  return createResponse({
    success: false,
    message: error.message,
    ...(error.recovery === undefined ? {} : { suggestions: [error.recovery] }),
    metadata: { ...metadata, error: toErrorInfo(error) },
  });
}
