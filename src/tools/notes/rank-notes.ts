import type { Note } from "./note.js";
import type { NoteScorer } from "./score-note.js";

export interface RankedNote extends Note {
  /** The scorer's score; absent when no query was given. */
  score?: number;
}

/** Notes matching the query, best first and newest first among equals; with no query, the newest. */
export function rankNotes(options: { notes: readonly Note[]; query?: string | undefined; scorer: NoteScorer }): RankedNote[] {
  const newestFirst = (left: Note, right: Note) =>
    right.createdAt.localeCompare(left.createdAt) || (right.id < left.id ? -1 : right.id > left.id ? 1 : 0);
  const query = options.query?.trim() ?? "";
  if (query === "") return [...options.notes].sort(newestFirst);
  return options.notes
    .map((note) => ({ ...note, score: options.scorer(query, note) }))
    .filter((note) => note.score > 0)
    .sort((left, right) => right.score - left.score || newestFirst(left, right));
}
