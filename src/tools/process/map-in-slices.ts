import { setImmediate as yieldToEventLoop } from "node:timers/promises";

/**
 * Map items with a synchronous function, giving the event loop a turn after every slice.
 * Reading /proc synchronously costs a fraction of the promise-based reads (measured: about 4 ms
 * against 25 ms of CPU for 94 processes); slicing keeps each pause of other work short.
 */
export async function mapInSlices<Item, Result>(
  items: readonly Item[],
  map: (item: Item) => Result,
  sliceSize = 64,
): Promise<Result[]> {
  const results: Result[] = [];
  for (let start = 0; start < items.length; start += sliceSize) {
    if (start > 0) await yieldToEventLoop();
    for (const item of items.slice(start, start + sliceSize)) results.push(map(item));
  }
  return results;
}
