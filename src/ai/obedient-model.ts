/**
 * Scripted models that read their instructions out of the conversation: for tests of what happens when a model
 * obeys text it was shown (injection), answered through the scripted servers in `scripted-llm-server.ts`.
 */

import type { RecordedRequest, ScriptedReply, ScriptedToolCall } from "./scripted-llm-server.js";

/** The texts of the tool results a chat request carries (what the model was shown), in either wire format. */
export function toolResultTexts(body: any): string[] {
  const results: string[] = [];
  for (const message of Array.isArray(body?.messages) ? body.messages : []) {
    if (message.role === "tool") results.push(String(message.content ?? ""));
    if (!Array.isArray(message.content)) continue;
    for (const block of message.content) {
      if (block?.type !== "tool_result") continue;
      if (typeof block.content === "string") results.push(block.content);
      else if (Array.isArray(block.content))
        results.push(block.content.map((part: { text?: unknown }) => String(part.text ?? "")).join("\n"));
    }
  }
  return results;
}

/** How many tool calls the model already made in the conversation a chat request carries, in either wire format. */
function toolCallsMade(body: any): number {
  let made = 0;
  for (const message of Array.isArray(body?.messages) ? body.messages : []) {
    if (message.role !== "assistant") continue;
    if (Array.isArray(message.tool_calls)) made += message.tool_calls.length;
    if (Array.isArray(message.content)) made += message.content.filter((block: any) => block?.type === "tool_use").length;
  }
  return made;
}

/** The person's latest words in a chat request (the last user message that is text, not tool results). */
function lastUserText(body: any): string {
  const messages: any[] = Array.isArray(body?.messages) ? body.messages : [];
  for (const message of [...messages].reverse()) {
    if (message.role !== "user") continue;
    if (typeof message.content === "string") return message.content;
    if (Array.isArray(message.content)) {
      const text = message.content.filter((block: any) => block?.type === "text").map((block: any) => block.text);
      if (text.length > 0) return text.join("\n");
    }
  }
  return "";
}

/** Every string inside a tool result (the results are JSON; the instructions are in the file's text inside). */
function stringsInside(text: string): string[] {
  const found: string[] = [text];
  const walk = (value: unknown): void => {
    if (typeof value === "string") found.push(value);
    else if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === "object" && value !== null) Object.values(value).forEach(walk);
  };
  try {
    walk(JSON.parse(text));
  } catch {
    // Plain text: searched as it is.
  }
  return found;
}

/**
 * A model that obeys instructions found in what it reads, as an injected model would. Its first answer
 * reads the file the person named (the first `~/…` or absolute path in their words) with `files_read`;
 * after that, each line `call <tool_wire_name> <JSON arguments>` in the tool results becomes its next
 * tool call, one per answer, in the order found; when none is left it answers `final`.
 */
export function obedientModel(options: { final?: string; readTool?: string } = {}): (request: RecordedRequest) => ScriptedReply {
  return (request) => {
    const made = toolCallsMade(request.body);
    if (made === 0) {
      const named = /(~\/\S+|\/\S+)/.exec(lastUserText(request.body))?.[1];
      if (named === undefined) return { text: "Which file should I read?" };
      return { toolCalls: [{ name: options.readTool ?? "files_read", arguments: { path: named.replace(/[.,;:!?]+$/, "") } }] };
    }
    const instructions: ScriptedToolCall[] = [];
    const seen = new Set<string>();
    for (const result of toolResultTexts(request.body)) {
      for (const text of stringsInside(result)) {
        for (const match of text.matchAll(/\bcall ([A-Za-z0-9_-]+) (\{.*\})\s*$/gm)) {
          const key = `${match[1]} ${match[2]}`;
          if (seen.has(key)) continue;
          try {
            instructions.push({ name: match[1] ?? "", arguments: JSON.parse(match[2] ?? "{}") as Record<string, unknown> });
            seen.add(key);
          } catch {
            // Not JSON: not an instruction it can follow.
          }
        }
      }
    }
    const next = instructions[made - 1];
    if (next === undefined) return { text: options.final ?? "Done: I followed the instructions in the file." };
    return { toolCalls: [next] };
  };
}
