import type { WebSocket } from "ws";

/**
 * The seed's WebSocketManager: the signed-in users' sockets, so a message can go to one user
 * (every socket they have open, and nobody else's) or to everyone.
 */
export class SocketHub {
  readonly #byUser = new Map<string, Set<WebSocket>>();
  /** Requests being answered on some socket: a graceful stop lets them finish first. */
  readonly #working = new Set<Promise<unknown>>();

  /** Track work done for a socket (until it settles). */
  track<T>(work: Promise<T>): Promise<T> {
    this.#working.add(work);
    const forget = () => this.#working.delete(work);
    work.then(forget, forget);
    return work;
  }

  /** Wait for the work in flight, at most `milliseconds`; true when all of it finished. */
  async drain(milliseconds: number): Promise<boolean> {
    if (this.#working.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), milliseconds);
    });
    const finished = Promise.allSettled([...this.#working]).then(() => true as const);
    const result = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    return result;
  }

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
