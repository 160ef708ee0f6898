import type { Node as SyntaxNode } from "web-tree-sitter";

/**
 * `for d in ~ /srv; do rm -rf "$d"; done`: the body of each `for` over plain words, once per word with the word
 * in the variable's place (`~` as the home folder it becomes), so that the loop is judged on what it really
 * touches. Loops over words not known before they run give nothing (their bodies are judged as written).
 */
export function forLoopBodies(root: SyntaxNode, homeDirectory: string): string[] {
  const bodies: string[] = [];
  for (const loop of root.descendantsOfType("for_statement")) {
    if (loop === null) continue;
    const variable = loop.childForFieldName("variable")?.text;
    const body = loop.childForFieldName("body");
    if (variable === undefined || body === null || !/^[A-Za-z_]\w*$/.test(variable)) continue;
    const words = loop.childrenForFieldName("value").flatMap((node) => (node === null ? [] : [node.text]));
    if (words.length === 0 || words.length > 20 || !words.every((word) => /^[\w./~@%+=:,-]+$/.test(word))) continue;
    const inner = body.text.replace(/^do\b/, "").replace(/\bdone$/, "");
    const reference = new RegExp(`\\$(?:\\{${variable}\\}|${variable}\\b)`, "g");
    for (const word of words) bodies.push(inner.replace(reference, word.replace(/^~(?=\/|$)/, homeDirectory)));
  }
  return bodies;
}
