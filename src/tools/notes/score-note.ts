import type { Note } from "./note.js";
import { noteWords, queryTerms } from "./note-words.js";

/**
 * How well a note answers a query: 0 means not at all, higher is better. The one place recall's
 * ranking is decided, so a semantic scorer (embeddings) can replace it.
 */
export type NoteScorer = (query: string, note: Note) => number;

/**
 * Counts the query's words found in the note: 1 for the same word, 0.5 for a word that starts with
 * it or it starts with ("pass" finds "password", "passwords" finds "password"). Case, accents and
 * punctuation do not matter.
 */
export const scoreByMatchingWords: NoteScorer = (query, note) => {
  const words = new Set(noteWords(note.text));
  let score = 0;
  for (const term of queryTerms(query)) {
    if (words.has(term)) score += 1;
    else if ([...words].some((word) => isPrefixMatch(term, word))) score += 0.5;
  }
  return score;
};

function isPrefixMatch(term: string, word: string): boolean {
  return (term.length >= 3 && word.startsWith(term)) || (word.length >= 4 && term.startsWith(word));
}
