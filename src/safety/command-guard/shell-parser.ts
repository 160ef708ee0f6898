import { createRequire } from "node:module";
import type { Node, Parser as TreeSitterParser } from "web-tree-sitter";

export type SyntaxNode = Node;

let parserPromise: Promise<TreeSitterParser> | undefined;

/** The bash grammar (tree-sitter, WebAssembly shipped in the npm package), loaded once per process. */
export function loadShellParser(): Promise<TreeSitterParser> {
  parserPromise ??= (async () => {
    const { Parser, Language } = await import("web-tree-sitter");
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve("tree-sitter-bash/tree-sitter-bash.wasm");
    const language = await Language.load(wasm);
    const parser = new Parser();
    parser.setLanguage(language);
    return parser;
  })();
  return parserPromise;
}
