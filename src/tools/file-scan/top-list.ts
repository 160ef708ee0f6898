/** The `capacity` largest items seen, largest first; cheap for a short list over a long stream. */
export class TopList<T> {
  readonly #capacity: number;
  readonly #measure: (item: T) => number;
  readonly #items: T[] = [];

  constructor(capacity: number, measure: (item: T) => number) {
    this.#capacity = capacity;
    this.#measure = measure;
  }

  offer(item: T): void {
    const value = this.#measure(item);
    const items = this.#items;
    if (items.length >= this.#capacity) {
      const smallest = items[items.length - 1];
      if (smallest === undefined || value <= this.#measure(smallest)) return;
      items.pop();
    }
    let index = items.length;
    while (index > 0 && this.#measure(items[index - 1] as T) < value) index -= 1;
    items.splice(index, 0, item);
  }

  /** Largest first. */
  items(): T[] {
    return [...this.#items];
  }
}
