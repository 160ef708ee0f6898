/** AstrOS as a library: the agent and its types. Plugin authors want `astros/sdk`. */

export type { AstrOSAgentOptions, ProcessOptions } from "./agent/astros-agent.js";
export { AstrOSAgent, maximumRequestLength } from "./agent/astros-agent.js";
export type {
  AuditEntry,
  AuditEntryType,
  AuditSink,
  ConfirmationAnswer,
  ConfirmationChannel,
  ConfirmationRequest,
  ConsentAnswer,
  Decision,
  ToolAuthorizer,
  ToolCall,
  ToolGuard,
  Verdict,
} from "./agent/pipeline-seams.js";
export { allowAllAuthorizer, allowAllGuard, MemoryAuditSink } from "./agent/pipeline-seams.js";
export { AIProvider } from "./ai/ai-provider.js";
export type {
  AIResponse,
  ChatOptions,
  ChatResponse,
  FinishReason,
  GenerationOptions,
  Message,
  ProviderCapabilities,
  ProviderConfig,
  TokenUsage,
  ToolCallRequest,
  ToolDefinition,
} from "./ai/ai-types.js";
export type { AIProviderClass } from "./ai/base-ai-provider.js";
export { BaseAIProvider } from "./ai/base-ai-provider.js";
export { builtinEmbedding, cosineSimilarity } from "./ai/builtin-embedding.js";
export { BuiltinProvider } from "./ai/builtin-provider.js";
export { AnthropicProvider, LocalProvider, OpenAIProvider } from "./ai/sdk-providers.js";
export { CredentialStore } from "./auth/credential-store.js";
export type { PermissionEntry, PluginConsent } from "./auth/permission-manager.js";
export { PermissionManager } from "./auth/permission-manager.js";
/** The HTTP and WebSocket clients for the AstrOS server. */
export * from "./client/client-api.js";
export type { AstrOSConfig } from "./config/config-schema.js";
export { loadConfig } from "./config/load-config.js";
export { AIError } from "./core/errors/ai-error.js";
export type { ErrorInfo } from "./core/errors/astros-error.js";
export { AstrOSError, toErrorInfo } from "./core/errors/astros-error.js";
export { AuthenticationError } from "./core/errors/authentication-error.js";
export { ConfigError } from "./core/errors/config-error.js";
export type { ErrorCategory, ErrorCode } from "./core/errors/error-codes.js";
export { errorCodes } from "./core/errors/error-codes.js";
export { PermissionError } from "./core/errors/permission-error.js";
export { PluginError } from "./core/errors/plugin-error.js";
export { ProcessingError } from "./core/errors/processing-error.js";
export { RateLimitError } from "./core/errors/rate-limit-error.js";
export { StorageError } from "./core/errors/storage-error.js";
export type { AgentEvent, AgentEventType } from "./core/events/agent-event.js";
export { EventBus } from "./core/events/event-bus.js";
export type { Intent } from "./core/types/intent.js";
export { UNKNOWN_INTENT } from "./core/types/intent.js";
export type { Response, ResponseInit, ResponseMetadata } from "./core/types/response.js";
export { createResponse, ResponseFormat } from "./core/types/response.js";
export type { AgentState, PluginStatus, SystemStatus } from "./core/types/system-status.js";
export type { UserRequest, UserRequestInit } from "./core/types/user-request.js";
export { createUserRequest } from "./core/types/user-request.js";
export { BuiltinRecognizer } from "./intent/builtin-recognizer.js";
export type { IntentMatch, IntentMatcher, IntentRecognizer } from "./intent/intent-recognizer.js";
export type { ExecOptions, ExecResult, FileEntry, GuardedFiles, HandlerAI } from "./plugins/handler-context.js";
export { AuditLogger } from "./safety/audit/audit-logger.js";
export type { CommandJudgement, CommandVerdict } from "./safety/command-guard/command-guard.js";
export { CommandGuard, checkCommand } from "./safety/command-guard/command-guard.js";
export type { RiskLevel } from "./safety/command-guard/risk-level.js";
export type { PathRule, PathVerdict } from "./safety/path-guard/path-guard.js";
export { PathGuard } from "./safety/path-guard/path-guard.js";
export { LlmRateLimiter } from "./safety/rate-limit/llm-rate-limiter.js";
export { RequestRateLimiter } from "./safety/rate-limit/request-rate-limiter.js";
export { SafetyGuard } from "./safety/safety-guard.js";
export type { DatabaseManager } from "./store/database-manager.js";
export { openDatabase } from "./store/open-database.js";
