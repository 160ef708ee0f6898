const redacted = "***";
const passwordQueryKey = /pass/i;
const userInfoPassword = /^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^:/?#@]*):[^/?#]*@/;

/**
 * Replaces the password of a database URL (and any password-like query parameter) with `***`,
 * so the URL can appear in messages and logs. Text that is not a URL is returned unchanged
 * except for a `user:password@` part.
 */
export function redactDatabaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(userInfoPassword, `$1:${redacted}@`);
  }
  let changed = false;
  if (parsed.password !== "") {
    parsed.password = redacted;
    changed = true;
  }
  for (const key of [...parsed.searchParams.keys()]) {
    if (passwordQueryKey.test(key)) {
      parsed.searchParams.set(key, redacted);
      changed = true;
    }
  }
  return changed ? parsed.toString() : url;
}
