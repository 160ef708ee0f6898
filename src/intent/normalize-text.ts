const politeness = /^(?:(?:please|kindly|hey astros|astros|can you|could you|would you|will you)\s+)+/;

/** Lower-case, straight quotes, no punctuation at the ends, single spaces, politeness dropped. */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[.!?,;:]+(\s|$)/g, "$1")
    .replace(/\s+/g, " ")
    .trim()
    .replace(politeness, "")
    .replace(/\s+please$/, "")
    .trim();
}
