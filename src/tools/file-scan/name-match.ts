import picomatch from "picomatch";

/**
 * How a search's name is compared with file names:
 * - `contains` (default): the name is part of the file name, as a phrase ("daft punk" in "Daft Punk - One More Time.mp3");
 * - `words`: every word of the name is somewhere in the file name, in any order ("menu café" in "café menu.pdf");
 * - `exact`: the whole file name, as typed ("notes.txt", not "notes.txt.bak" nor "Notes.txt").
 * A name with glob characters (`*.tar.gz`, `IMG_20??*`) is a glob on the whole name in every mode but `exact`.
 * `contains` and `words` ignore case and accents ("cafe" finds "Café"), and space, `_`, `-` and `.` are alike
 * ("boarding pass" finds "Boarding_Pass.pdf").
 */
export const nameMatches = ["contains", "words", "exact"] as const;
export type NameMatch = (typeof nameMatches)[number];

const globCharacters = /[*?[\]{}]/;
const separators = /[\s_.-]+/g;
const nonAscii = /[^ -~]/;
const marks = /\p{M}/gu;

/** A name as `contains` and `words` compare it: lower case, no accents, one space for each run of separators. */
export function foldName(name: string): string {
  const lower = name.toLowerCase();
  const plain = nonAscii.test(lower) ? lower.normalize("NFD").replace(marks, "").normalize("NFC") : lower;
  return plain.replace(separators, " ");
}

/** The words of a `words` name; a plural's final "s" is optional ("invoices" finds "invoice-march.pdf"). */
function wordStems(name: string): string[] {
  return foldName(name)
    .split(" ")
    .filter((word) => word !== "")
    .map((word) => (word.length > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.slice(0, -1) : word));
}

/** A test of file names for a search's name, or undefined when the name is empty. */
export function compileNameMatch(
  name: string | undefined,
  mode: NameMatch = "contains",
): ((name: string) => boolean) | undefined {
  const wanted = name?.trim();
  if (wanted === undefined || wanted === "") return undefined;
  if (mode === "exact") return (candidate) => candidate === wanted;
  if (globCharacters.test(wanted)) return picomatch(wanted, { nocase: true, dot: true });
  if (mode === "words") {
    const stems = wordStems(wanted);
    if (stems.length === 0) return undefined;
    return (candidate) => {
      const folded = foldName(candidate);
      return stems.every((stem) => folded.includes(stem));
    };
  }
  const phrase = foldName(wanted).trim();
  if (phrase === "") return undefined;
  return (candidate) => foldName(candidate).includes(phrase);
}
