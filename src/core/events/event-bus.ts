import type { AgentEvent } from "./agent-event.js";

export type AgentEventListener = (event: AgentEvent) => void;

/**
 * Fan-out of agent events to any number of listeners (CLI renderer, WebSocket, audit...).
 * A listener that throws is isolated: it never breaks the pipeline or other listeners.
 */
export class EventBus {
  readonly #listeners = new Set<AgentEventListener>();
  readonly #onListenerError: (error: unknown) => void;

  constructor(options: { onListenerError?: (error: unknown) => void } = {}) {
    this.#onListenerError = options.onListenerError ?? (() => {});
  }

  /** Subscribe; returns the function that unsubscribes. */
  subscribe(listener: AgentEventListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  emit(event: AgentEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  get listenerCount(): number {
    return this.#listeners.size;
  }
}
