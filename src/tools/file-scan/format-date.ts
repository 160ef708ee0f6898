/** A moment for people, in local time to the minute: "2026-03-18 09:05". */
export function formatDate(moment: string | number | Date): string {
  const date = new Date(moment);
  const two = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}
