import { isConfigTable } from "./config-table.js";

/** What a redacted value is replaced with. */
export const redactedText = "***";

const secretWords = new Set(["password", "passwd", "passphrase", "secret", "token", "credential", "credentials"]);
const secretWordPairs = new Set(["api key", "private key", "access key"]);

function splitKeyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== "");
}

/**
 * Whether a key names a secret: `api_key`, `apiKey`, `password`, `token`, `access_token`, `client_secret`, ...
 * Whole words are compared, so `max_tokens` is not a secret.
 */
export function isSecretKeyName(key: string): boolean {
  const words = splitKeyWords(key);
  return words.some((word, index) => secretWords.has(word) || secretWordPairs.has(`${word} ${words[index + 1] ?? ""}`));
}

/** Hide the password of a URL such as `postgres://user:password@host/db`; other text is returned as is. */
export function redactUrlPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:)[^/?#@]+@/i, `$1${redactedText}@`);
}

/**
 * A deep copy with secret values replaced by `***`: values under secret-named keys (see `isSecretKeyName`)
 * and passwords inside URLs. Empty strings stay empty, so an unset secret still reads as unset.
 */
export function redactSecrets<Value>(value: Value): Value {
  return redactValue(value) as Value;
}

function redactValue(value: unknown): unknown {
  if (typeof value === "string") return redactUrlPassword(value);
  if (Array.isArray(value)) return value.map(redactValue);
  if (!isConfigTable(value)) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const hidden = isSecretKeyName(key) && !isConfigTable(child) && child !== "" && child !== undefined;
    copy[key] = hidden ? redactedText : redactValue(child);
  }
  return copy;
}

/**
 * Secrets of known shapes inside free text, each with what replaces it. Order matters: whole blocks
 * (private keys, JWTs, URLs with credentials) go before the shorter shapes that could match parts of them.
 */
const secretTextPatterns: readonly [RegExp, string][] = [
  // PEM and OpenSSH private keys, also cut off before their END line.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY( BLOCK)?-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----|$)/g, redactedText],
  // JSON Web Tokens: header.payload.signature, the first two base64url JSON ("eyJ").
  [/\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, redactedText],
  // URLs with a password: scheme://user:password@host (anywhere in the text, not only at its start).
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s/?#@:'"]*:)[^\s/?#@'"]+@/gi, `$1${redactedText}@`],
  // HTTP authorization headers, whatever the scheme.
  [/\b((?:Proxy-)?Authorization)(["']?\s*[:=]\s*["']?)(?:[A-Za-z]+\s+)?[^\s"',;]+/gi, `$1$2${redactedText}`],
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, `$1 ${redactedText}`],
  // Cookies carry sessions: the whole header value goes.
  [/\b((?:Set-)?Cookie)(["']?\s*:\s*)[^\r\n"']+/gi, `$1$2${redactedText}`],
  // curl's user:password.
  [/(\s(?:-u|--user)[\s=]+["']?)([^\s:"']+):[^\s"']+/g, `$1$2:${redactedText}`],
  // API keys of known shapes: OpenAI/Anthropic, GitHub, Slack, AWS access key ids, Google, GitLab, npm, Stripe.
  [
    /\b(?:sk-(?:ant-|proj-|live-)?[A-Za-z0-9_-]{8,}|gh[pousr]_[A-Za-z0-9]{16,}|github_pat_[A-Za-z0-9_]{20,}|xox[abposr]-[A-Za-z0-9-]{8,}|(?:AKIA|ASIA)[A-Z0-9]{12,}|AIza[A-Za-z0-9_-]{20,}|glpat-[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{20,}|[rs]k_(?:live|test)_[A-Za-z0-9]{10,})/g,
    redactedText,
  ],
  // name=value pairs whose name says secret: PASSWORD=…, api_key: …, "token": "…", --password …

  [/(--(?:password|passphrase|token|api-key|secret)[= ])\S+/gi, `$1${redactedText}`],
];

const uuidPattern = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const character of text) counts.set(character, (counts.get(character) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const share = count / text.length;
    entropy -= share * Math.log2(share);
  }
  return entropy;
}

function characterClass(character: string): number {
  if (character >= "a" && character <= "z") return 1;
  if (character >= "A" && character <= "Z") return 2;
  if (character >= "0" && character <= "9") return 3;
  return 0;
}

/** Among neighbouring letters and digits, how often the class (lower, upper, digit) changes: ~0.6 for random base64, ~0.5 for hex, under 0.2 for words, names and paths. */
function classChangeRate(text: string): number {
  let pairs = 0;
  let changes = 0;
  for (let index = 1; index < text.length; index++) {
    const before = characterClass(text[index - 1] as string);
    const after = characterClass(text[index] as string);
    if (before === 0 || after === 0) continue;
    pairs++;
    if (before !== after) changes++;
  }
  return pairs === 0 ? 0 : changes / pairs;
}

/** Shortest run of base64 or hex characters that can be taken for key material. */
export const keyMaterialMinimumLength = 32;

/**
 * Whether a run of base64/base64url/hex characters looks like key material: at least 32 characters
 * (UUIDs removed first: AstrOS names requests and operations with them), letters and digits mixed like
 * random data (class changes ≥ 0.22), and high entropy (≥ 3 bits a character for hex, ≥ 4 otherwise);
 * without a digit, 48 characters or more, class changes ≥ 0.2 and entropy ≥ 4.5.
 * Decided: a bare sha256 or git hash in free text IS taken for key material (it cannot be told from a
 * hex key); words, identifiers, paths and mkdtemp names are not (they change class rarely, or have low
 * entropy). The audit log's own `{bytes, sha256}` summaries are made after redaction, so they stay.
 */
export function looksLikeKeyMaterial(run: string): boolean {
  return run
    .replace(uuidPattern, " ")
    .split(/\s+/)
    .some((candidate) => {
      if (candidate.length < keyMaterialMinimumLength) return false;
      const changes = classChangeRate(candidate);
      const entropy = shannonEntropy(candidate);
      // Without a digit: long, mixed case and near-random letters (camelCase names have far lower entropy).
      if (!/[0-9]/.test(candidate)) return candidate.length >= 48 && changes >= 0.2 && entropy >= 4.5;
      // Long hex is key material when it is not repetitive, however its digits and letters happen to alternate.
      if (/^[0-9a-f]+$/i.test(candidate) && /[a-f]/i.test(candidate)) return entropy >= 3;
      if (changes < 0.22) return false;
      return entropy >= 4;
    });
}

/**
 * Text with secrets of known shapes replaced by `***`: private keys, JWTs, URLs with credentials,
 * authorization headers and bearer tokens, API keys (sk-…, ghp_…, AKIA…, xox…), `password=`-style
 * pairs, and blocks of base64 or hex that look like key material (see `looksLikeKeyMaterial`).
 */
const pairNamePattern = /\b([A-Za-z][A-Za-z0-9_.-]*)(["']?\s*[=:]\s*)/g;
const pairValuePattern = /"[^"]*"|'[^']*'|[^\s,;&"'}]+/y;

/** name=value pairs whose name says secret (whole words, as `isSecretKeyName`): PASSWORD=…, api_key: …, "token": "…"; not max_tokens. */
function redactSecretPairs(text: string): string {
  let result = "";
  let copied = 0;
  for (const match of text.matchAll(pairNamePattern)) {
    const [whole, name] = match;
    if (name === undefined || !isSecretKeyName(name)) continue;
    const valueStart = (match.index ?? 0) + whole.length;
    if (valueStart < copied) continue;
    pairValuePattern.lastIndex = valueStart;
    const value = pairValuePattern.exec(text)?.[0];
    if (value === undefined || value === redactedText) continue;
    result += `${text.slice(copied, valueStart)}${redactedText}`;
    copied = valueStart + value.length;
  }
  return result + text.slice(copied);
}

export function redactSecretText(text: string): string {
  const shaped = redactSecretPairs(
    secretTextPatterns.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text),
  );
  return shaped.replace(/[A-Za-z0-9+/=_-]{32,}/g, (run) => (looksLikeKeyMaterial(run) ? redactedText : run));
}
