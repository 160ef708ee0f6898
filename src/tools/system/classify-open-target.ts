import { fileURLToPath } from "node:url";

/**
 * What "open X" means: a link, a file or folder, or an application. A bare "name.ext" may be a
 * file here or a web site; `looksLikeWebSite` lets the caller decide once it has looked for the file.
 */
export type OpenTarget =
  | { kind: "url"; url: string }
  | { kind: "path"; path: string; looksLikeWebSite: boolean }
  | { kind: "app"; name: string }
  | { kind: "refused"; reason: string };

/** Link schemes handed to the desktop; others (custom app schemes) can start arbitrary programs. */
const openableSchemes = new Set(["http:", "https:", "ftp:", "mailto:"]);
const hostName = /^([a-z0-9-]+\.)+([a-z]{2,})(:\d+)?(\/\S*)?$/i;
/**
 * Top-level domains common enough to read "name.tld" as a web site when no such file exists.
 * An allowlist, because many file extensions look like domains (report.pdf, notes.md, photo.png).
 */
const commonTopLevelDomains = new Set(
  "com org net edu gov io dev app ai co me info biz uk de fr es it nl eu ca au jp cn in br ru ch se no fi dk pl be at us tv ly gg".split(
    " ",
  ),
);

function looksLikeWebSite(target: string): boolean {
  const match = hostName.exec(target);
  if (match === null) return false;
  return target.toLowerCase().startsWith("www.") || commonTopLevelDomains.has((match[2] ?? "").toLowerCase());
}

export function classifyOpenTarget(input: string): OpenTarget {
  const target = input.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(target)?.[1]?.toLowerCase();
  if (scheme !== undefined && scheme.length > 1) {
    if (scheme === "file") {
      try {
        return { kind: "path", path: fileURLToPath(target), looksLikeWebSite: false };
      } catch {
        return { kind: "refused", reason: `${target} is not a valid file link` };
      }
    }
    if (!openableSchemes.has(`${scheme}:`)) {
      return {
        kind: "refused",
        reason: `AstrOS opens web (http, https, ftp) and mailto links; a "${scheme}:" link could start any program registered for it`,
      };
    }
    return { kind: "url", url: target };
  }
  if (target.startsWith("/") || target.startsWith("~") || target.startsWith(".") || target.includes("/")) {
    return { kind: "path", path: target, looksLikeWebSite: looksLikeWebSite(target) };
  }
  if (/\.[a-z0-9]{1,8}$/i.test(target)) return { kind: "path", path: target, looksLikeWebSite: looksLikeWebSite(target) };
  return { kind: "app", name: target };
}
