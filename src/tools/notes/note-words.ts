/** Words a query is usually wrapped in ("what did I say about the ..."): dropped from queries, unless nothing else is left. */
const glueWords = new Set([
  "a",
  "about",
  "again",
  "an",
  "and",
  "any",
  "are",
  "at",
  "by",
  "did",
  "do",
  "for",
  "from",
  "i",
  "in",
  "is",
  "it",
  "me",
  "my",
  "of",
  "on",
  "or",
  "say",
  "said",
  "that",
  "the",
  "to",
  "told",
  "was",
  "were",
  "what",
  "with",
  "you",
]);

/**
 * Lower-case words without accents or punctuation. A word joined by hyphens or apostrophes counts
 * whole and in parts: "Wi-Fi password!" → ["wifi", "wi", "fi", "password"].
 */
export function noteWords(text: string): string[] {
  const chunks = text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .split(/[^\p{L}\p{N}'’-]+/u);
  const words: string[] = [];
  for (const chunk of chunks) {
    const parts = chunk.split(/['’-]+/).filter((part) => part !== "");
    if (parts.length > 1) words.push(parts.join(""));
    words.push(...parts);
  }
  return words;
}

/** The distinct words of a query worth matching on. */
export function queryTerms(query: string): string[] {
  const words = [...new Set(noteWords(query))];
  const meaningful = words.filter((word) => !glueWords.has(word));
  return meaningful.length > 0 ? meaningful : words;
}
