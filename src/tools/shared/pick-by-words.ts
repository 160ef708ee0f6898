import { noteWords, queryTerms } from "../notes/note-words.js";

/** What words picked out of a list: every item that has all of them, and the one to act on when there is exactly one. */
export interface PickedByWords<Item> {
  matches: Item[];
  /** The one item every word names, when only one does. */
  chosen?: Item;
}

/** Whether a word of the text is the term, or starts with it, or it starts with the word ("dentist's", "bins"/"bin"). */
function hasTerm(words: readonly string[], term: string): boolean {
  return words.some(
    (word) => word === term || (term.length >= 3 && word.startsWith(term)) || (word.length >= 4 && term.startsWith(word)),
  );
}

/**
 * The items whose text has every word of `query` (glue words such as "the", "about", "my" aside; case, accents and
 * punctuation aside): "the dentist" picks "call the dentist tomorrow", "locker code" picks "my locker code is 4471".
 * Used to act on one thing by its words (cancel a reminder, forget a note), so it never guesses between two.
 */
export function pickByWords<Item>(items: readonly Item[], query: string, textOf: (item: Item) => string): PickedByWords<Item> {
  const terms = queryTerms(query);
  if (terms.length === 0) return { matches: [] };
  const matches = items.filter((item) => {
    const words = noteWords(textOf(item));
    return terms.every((term) => hasTerm(words, term));
  });
  return matches.length === 1 ? { matches, chosen: matches[0] } : { matches };
}
