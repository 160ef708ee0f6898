/**
 * Remove backslash-newline line continuations the way bash does before it splits words: everywhere
 * except inside single quotes (and an escaped backslash stays a backslash). Without this, `r\⏎m -rf /`
 * would look like the program `r` while bash runs `rm`.
 */
export function removeLineContinuations(text: string): string {
  if (!text.includes("\\\n")) return text;
  let result = "";
  let singleQuoted = false;
  let doubleQuoted = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (singleQuoted) {
      if (character === "'") singleQuoted = false;
      result += character;
      continue;
    }
    if (character === "\\") {
      const next = text[index + 1];
      if (next === "\n") {
        index++;
        continue;
      }
      result += character + (next ?? "");
      index++;
      continue;
    }
    if (character === "'" && !doubleQuoted) singleQuoted = true;
    else if (character === '"') doubleQuoted = !doubleQuoted;
    result += character;
  }
  return result;
}
