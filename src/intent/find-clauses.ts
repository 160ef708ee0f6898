import { normalizeRequest, type Utterance } from "./normalize-text.js";

/** Where the request proper starts in a chatty sentence: after "can you", "please", "I need you to"… */
const requestMarker =
  /(?:^|[\s,;:.!?])(?:(?:so\s+)?(?:can|could|would|will)\s+(?:you|u)(?:\s+(?:please|just|maybe|quickly))?|please|pls|plz|i (?:need|want|would like|'d like) (?:you )?to|i need you to|i want you to|would you mind|do you mind|help me|go ahead and|just)\s+/gi;
/** Boundaries between the clauses of a chatty request. */
const clauseBoundary =
  /\s*(?:[.?!;]+\s+|,\s*|\s+(?:so|but|because|since|as|and then|then|before|after|otherwise|though|although)\s+|\s+and\s+(?=(?:i(?:'d| would| want| need)|could you|can you|would you|please)\b)|\s+[—–-]\s+|:\s+)/i;

/** A part of a long request that may be the request proper, and where in the text it starts. */
export interface Clause {
  utterance: Utterance;
  /** How sure a reading of this part is, relative to one of the whole request. */
  weight: number;
  /** The rest of the request: what "it" or "them" in this part may stand for. */
  rest: string;
}

/**
 * The parts of a long, chatty request that may carry what is asked ("ugh my downloads folder is a
 * mess, can you sort everything in there by file type for me"): what follows a request marker
 * ("can you", "please"), and each clause between commas, sentence ends and linking words.
 */
export function findClauses(text: string): Clause[] {
  const clauses: Clause[] = [];
  const seen = new Set<string>();
  const add = (part: string, weight: number) => {
    const trimmed = part.trim();
    if (trimmed.length < 2 || trimmed.length === text.trim().length || seen.has(trimmed.toLowerCase())) return;
    seen.add(trimmed.toLowerCase());
    const at = text.indexOf(trimmed);
    const rest = at === -1 ? text : `${text.slice(0, at)} ${text.slice(at + trimmed.length)}`;
    clauses.push({ utterance: normalizeRequest(trimmed), weight, rest });
  };
  for (const marker of text.matchAll(requestMarker)) {
    const after = text.slice(marker.index + marker[0].length);
    const sentence = after.split(/[.?!]+(?:\s|$)|\s+(?:so that|because|since|before|otherwise)\s+/i)[0] ?? after;
    add(sentence, 0.97);
    add(after, 0.95);
  }
  for (const part of text.split(clauseBoundary)) add(part, 0.93);
  return clauses.slice(0, 24);
}
