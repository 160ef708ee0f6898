import type { FileJournal } from "../exec/journal/file-journal.js";
import { LearnedPhrases } from "../intent/learned-phrases.js";
import type { IntentRule } from "../intent/rule-input.js";
import { createPluginRuntime } from "../plugins/plugin-runtime.js";
import { firstPartyTools } from "../tools/first-party-tools.js";
import { createCorePlugin } from "./core-plugin.js";

let rule: IntentRule | undefined;

/**
 * The phrasings AstrOS's own tools teach the engine through their handlers' examples, as the agent learns them:
 * `astros parse` reads with them too, so what it shows is what a request runs.
 */
export function firstPartyPhrases(): IntentRule {
  if (rule !== undefined) return rule;
  const learned = new LearnedPhrases();
  // The core plugin's handlers (help, undo) only read their options when they run: their examples are all that is used here.
  const core = createCorePlugin({ version: "0.0.0", journal: undefined as unknown as FileJournal, listCapabilities: () => [] });
  for (const tool of [core, ...firstPartyTools()]) {
    const runtime = createPluginRuntime(tool, { source: "astros" });
    for (const handler of runtime.handlers) learned.learn(handler.intent, handler.examples, { readOnly: handler.readOnly });
  }
  rule = learned.rule;
  return rule;
}
