/** A quoted part of a request: 'like this', "this" or `this`. */
export interface Quoted {
  start: number;
  end: number;
  value: string;
  quote: string;
}

const quotedPattern = /(?<![\w])'([^']+)'(?![\w])|"([^"]+)"|`([^`]+)`/g;

/** The quoted spans of a request, in order (an apostrophe inside a word is not a quote). */
export function findQuoted(text: string): Quoted[] {
  const found: Quoted[] = [];
  for (const match of text.matchAll(quotedPattern)) {
    const value = match[1] ?? match[2] ?? match[3] ?? "";
    found.push({ start: match.index, end: match.index + match[0].length, value, quote: match[0][0] ?? "'" });
  }
  return found;
}
