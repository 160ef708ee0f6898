import type { WebSocket } from "ws";

/**
 * The seed's WebSocketManager: the signed-in users' sockets, so a message can go to one user
 * (every socket they have open, and nobody else's) or to everyone.
 */
export class SocketHub {
  readonly #byUser = new Map<string, Set<WebSocket>>();

  connect(userId: string, socket: WebSocket): void {
    let sockets = this.#byUser.get(userId);
    if (sockets === undefined) {
      sockets = new Set();
      this.#byUser.set(userId, sockets);
    }
    sockets.add(socket);
    socket.once("close", () => this.disconnect(userId, socket));
  }

  disconnect(userId: string, socket: WebSocket): void {
    const sockets = this.#byUser.get(userId);
    sockets?.delete(socket);
    if (sockets?.size === 0) this.#byUser.delete(userId);
  }

  /** Send to every socket of one user; how many got it. */
  sendMessage(userId: string, message: Record<string, unknown>): number {
    const text = JSON.stringify(message);
    let sent = 0;
    for (const socket of this.#byUser.get(userId) ?? []) {
      if (socket.readyState !== socket.OPEN) continue;
      socket.send(text);
      sent++;
    }
    return sent;
  }

  /** Send to every signed-in socket (serialised once); how many got it. */
  broadcastMessage(message: Record<string, unknown>): number {
    const text = JSON.stringify(message);
    let sent = 0;
    for (const sockets of this.#byUser.values()) {
      for (const socket of sockets) {
        if (socket.readyState !== socket.OPEN) continue;
        socket.send(text);
        sent++;
      }
    }
    return sent;
  }

  get connections(): number {
    let count = 0;
    for (const sockets of this.#byUser.values()) count += sockets.size;
    return count;
  }
}
