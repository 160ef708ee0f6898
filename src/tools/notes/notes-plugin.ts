import { defineHandler, definePlugin, type PluginDefinition, type PluginStorageApi, z } from "../../sdk.js";
import { pickByWords } from "../shared/pick-by-words.js";
import { type Note, newNoteId, noteKey, userNotesPrefix } from "./note.js";
import { type RankedNote, rankNotes } from "./rank-notes.js";
import { type NoteScorer, scoreByMatchingWords } from "./score-note.js";

/** Longest note kept (characters). */
const maximumNoteLength = 10_000;
/** Notes recall shows when not told how many. */
const defaultRecallLimit = 10;

export interface NotesToolsOptions {
  /** How recall ranks notes against a query (default: matching words). A semantic scorer plugs in here. */
  scorer?: NoteScorer;
  /** The clock, in epoch milliseconds (default Date.now). */
  now?: () => number;
}

/**
 * notes.remember, notes.recall and notes.forget: short notes a person asks AstrOS to keep, private to each user
 * (kept in the plugin's own storage under the user's id), found again by their words.
 */
export function createNotesTools(options: NotesToolsOptions = {}): PluginDefinition {
  const scorer = options.scorer ?? scoreByMatchingWords;
  const now = options.now ?? Date.now;
  return definePlugin({
    name: "notes",
    version: "1.0.0",
    description: "Notes you ask AstrOS to remember, and finding them again",
    author: "AstrOS",
    handles: ["notes"],
    handlers: {
      remember: defineHandler({
        intent: "notes.remember",
        description: "Remember a note for you",
        examples: ["remember that the wifi password is in the drawer", "note: dentist appointment on friday"],
        args: z.object({
          text: z.string({ error: "say what to remember" }).trim().min(1, "say what to remember").max(maximumNoteLength),
        }),
        run: async (args, context) => {
          const takenAt = now();
          const note: Note = { id: newNoteId(takenAt), text: args.text, createdAt: new Date(takenAt).toISOString() };
          await context.storage.set(noteKey(context.userId, note.id), note);
          const total = (await context.storage.listKeys(userNotesPrefix(context.userId))).length;
          return {
            success: true,
            message: `Noted: "${note.text}" (${total === 1 ? "your first note" : `you have ${total} notes`}).`,
            data: { note, total },
            suggestions: ["what notes do I have"],
          };
        },
      }),
      recall: defineHandler({
        intent: "notes.recall",
        readOnly: true,
        description: "Find your notes by their words (or show the latest)",
        examples: ["what did I say about the wifi", "what notes do I have", "search my notes for sam"],
        args: z.object({
          query: z.string().trim().max(1000).optional(),
          limit: z.number().int().min(1).max(100).optional(),
        }),
        run: async (args, context) => {
          const notes = await readNotes(context.storage, context.userId);
          const query = args.query ?? "";
          const ranked = rankNotes({ notes, query, scorer });
          const shown = ranked.slice(0, args.limit ?? defaultRecallLimit);
          const data = { query, notes: shown, total: ranked.length };
          if (notes.length === 0) {
            return {
              success: true,
              message: 'You have no notes yet. Say "remember that …" and I will keep one.',
              data,
              suggestions: ["remember that the wifi password is in the drawer"],
            };
          }
          if (ranked.length === 0) {
            return {
              success: true,
              message: `No notes about "${query}" among your ${notes.length}.`,
              data,
              suggestions: ["what notes do I have"],
            };
          }
          const heading =
            query === ""
              ? `Your ${shown.length === ranked.length ? "" : `latest ${shown.length} of `}${plural(ranked.length, "note")}:`
              : `${plural(ranked.length, "note")} about "${query}"${shown.length < ranked.length ? ` (best ${shown.length} shown)` : ""}:`;
          return { success: true, message: [heading, ...shown.map(describeNote)].join("\n"), data };
        },
      }),
      forget: defineHandler({
        intent: "notes.forget",
        description: "Forget (delete) one of your notes, picked by its words",
        examples: ["forget the note about my locker code", "delete my note about the wifi password"],
        args: z.object({
          query: z.string({ error: "say which note, by its words" }).trim().min(1, "say which note, by its words").max(1000),
        }),
        run: async (args, context) => {
          const notes = await readNotes(context.storage, context.userId);
          const picked = pickByWords(notes, args.query, (note) => note.text);
          if (picked.chosen === undefined) {
            return {
              success: false,
              message:
                picked.matches.length === 0
                  ? `No note mentions "${args.query}", so nothing was forgotten.`
                  : [
                      `${plural(picked.matches.length, "note")} mention "${args.query}", so nothing was forgotten; say more of the one to forget:`,
                      ...picked.matches.map(describeNote),
                    ].join("\n"),
              data: { query: args.query, matches: picked.matches },
              suggestions: ["what notes do I have"],
            };
          }
          const note = picked.chosen;
          await context.storage.delete(noteKey(context.userId, note.id));
          return {
            success: true,
            message: `Forgot the note "${note.text}".`,
            data: { forgotten: note },
            suggestions: [`remember ${note.text}`],
          };
        },
      }),
    },
  });
}

async function readNotes(storage: PluginStorageApi, userId: string): Promise<Note[]> {
  const keys = await storage.listKeys(userNotesPrefix(userId));
  const notes = await Promise.all(keys.map((key) => storage.get<Note>(key)));
  return notes.filter((note): note is Note => isNote(note));
}

function isNote(value: unknown): value is Note {
  const note = value as Partial<Note> | undefined;
  return typeof note?.id === "string" && typeof note.text === "string" && typeof note.createdAt === "string";
}

function describeNote(note: RankedNote): string {
  return `  • ${note.text} (${formatTime(new Date(note.createdAt))})`;
}

function formatTime(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}
