import { lstatSync, type Stats } from "node:fs";
import path from "node:path";
import { pinFolder } from "../../sdk.js";
import { formatBytes } from "../shared/format-bytes.js";

/** What `stat` tells about one entry, read through its pinned folder (a link is described as the link). */
export function statEntry(realPath: string): Stats | undefined {
  if (realPath === "/") return lstatSync("/");
  const folder = pinFolder(path.dirname(realPath));
  try {
    return lstatSync(folder.entry(path.basename(realPath)), { throwIfNoEntry: false });
  } finally {
    folder.close();
  }
}

/** What kind of thing an entry is, in words. */
export function kindOf(info: Stats): string {
  if (info.isFile()) return "file";
  if (info.isDirectory()) return "folder";
  if (info.isSymbolicLink()) return "symbolic link";
  if (info.isFIFO()) return "named pipe";
  if (info.isSocket()) return "socket";
  return "device";
}

/** A byte count with its exact figure: "7.0 MB (7,340,032 bytes)", "512 bytes". */
export function sizeInWords(bytes: number): string {
  const exact = `${bytes.toLocaleString("en-US")} ${bytes === 1 ? "byte" : "bytes"}`;
  return bytes < 1024 ? exact : `${formatBytes(bytes)} (${exact})`;
}

const weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const months = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/** The local time zone's short name ("UTC", "CET"), or the offset. */
function zoneName(moment: Date): string {
  const part = new Intl.DateTimeFormat("en-US", { timeZoneName: "short" })
    .formatToParts(moment)
    .find((piece) => piece.type === "timeZoneName");
  return part?.value ?? "local time";
}

/** How long ago, roughly: "3 minutes ago", "2 days ago", "1 year ago", "in the future". */
export function ago(moment: Date, now: Date): string {
  const seconds = (now.getTime() - moment.getTime()) / 1000;
  if (seconds < -60) return "in the future";
  const units: Array<[number, string]> = [
    [365 * 86400, "year"],
    [30 * 86400, "month"],
    [7 * 86400, "week"],
    [86400, "day"],
    [3600, "hour"],
    [60, "minute"],
  ];
  for (const [length, unit] of units) {
    const count = Math.floor(seconds / length);
    if (count >= 1) return `${count} ${unit}${count === 1 ? "" : "s"} ago`;
  }
  return "just now";
}

/** A moment for people, in local time: "2025-03-14 10:30 UTC (Friday 14 March 2025, 1 year ago)". */
export function momentInWords(moment: Date, now = new Date()): string {
  const two = (value: number) => String(value).padStart(2, "0");
  const day = `${moment.getFullYear()}-${two(moment.getMonth() + 1)}-${two(moment.getDate())}`;
  const time = `${two(moment.getHours())}:${two(moment.getMinutes())}`;
  const spelled = `${weekdays[moment.getDay()]} ${moment.getDate()} ${months[moment.getMonth()]} ${moment.getFullYear()}`;
  return `${day} ${time} ${zoneName(moment)} (${spelled}, ${ago(moment, now)})`;
}

/** Permission bits as `ls -l` shows them, with the octal figure: "rw-r--r-- (644)". */
export function permissionsInWords(mode: number): string {
  const bits = mode & 0o777;
  const letters = ["r", "w", "x"];
  let shown = "";
  for (let shift = 8; shift >= 0; shift--) shown += (bits >> shift) & 1 ? letters[(8 - shift) % 3] : "-";
  return `${shown} (${(mode & 0o7777).toString(8).padStart(3, "0")})`;
}
