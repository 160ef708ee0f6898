/** One note as stored in the notes plugin's storage. */
export interface Note {
  /** Sorts in the order notes were taken (a time-based key plus a random suffix). */
  id: string;
  text: string;
  /** ISO 8601 time it was taken. */
  createdAt: string;
}

/**
 * Each note is its own storage entry under its user's prefix, so two notes taken at once never
 * overwrite each other. The user id is encoded: no user's prefix can be the start of another's.
 */
export function userNotesPrefix(userId: string): string {
  return `notes/${encodeURIComponent(userId)}/`;
}

export function noteKey(userId: string, noteId: string): string {
  return `${userNotesPrefix(userId)}${noteId}`;
}

let lastIdTime = 0;

/** A new note id: base-36 time, strictly increasing within this process, and a random suffix. */
export function newNoteId(now: number): string {
  lastIdTime = Math.max(now, lastIdTime + 1);
  const random = Math.floor(Math.random() * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return `${lastIdTime.toString(36).padStart(10, "0")}-${random}`;
}
