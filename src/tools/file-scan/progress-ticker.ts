/** Calls `report` at most once per `intervalMilliseconds`, however often `tick` is called. */
export function progressTicker<T>(intervalMilliseconds: number, report: (value: T) => void): (value: T) => void {
  let last = performance.now();
  return (value) => {
    const now = performance.now();
    if (now - last < intervalMilliseconds) return;
    last = now;
    report(value);
  };
}
