/** The clients a program uses to talk to an AstrOS server: what `astros` and `astros/sdk` both export. */
export type {
  AstrOSClientErrorOptions,
  ConfirmationInfo,
  CreatedApiKey,
  FileContent,
  FileItem,
  FileListing,
  FileWritten,
  LoginResult,
  PluginInfo,
  ProcessRequestOptions,
  ProcessResult,
  ServerStatus,
  SessionInfo,
  SessionMessage,
  ShellResult,
  TaskStarted,
} from "./http-client.js";
export { AstrOSClientError, HTTPClient } from "./http-client.js";
export type {
  ConfirmQuestion,
  SocketClosed,
  SocketConnectOptions,
  SocketMessage,
  SocketRequestOptions,
  SocketResponse,
} from "./websocket-client.js";
export { AstrOSWebSocketClient } from "./websocket-client.js";
