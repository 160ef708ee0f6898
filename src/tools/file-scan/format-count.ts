/** A count for people, with its noun: 1 → "1 file", 200000 → "200,000 files". */
export function formatCount(count: number, singular: string, plural = `${singular}s`): string {
  return `${count.toLocaleString("en-US")} ${count === 1 ? singular : plural}`;
}
