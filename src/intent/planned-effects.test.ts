import { describe, expect, it } from "vitest";
import { declaredPathEffects } from "../plugins/handler-definition.js";
import { createFileTools } from "../tools/files/files-plugin.js";
import { plannedEffects } from "./planned-effects.js";

describe("the effects the engine plans", () => {
  it("are the effects the file tools declare, for every file intent and selection", () => {
    const handlers = Object.values(createFileTools().handlers);
    const slotSets: Array<Record<string, unknown>> = [
      { path: "/home/alice/a.txt" },
      { path: "/home/alice", contents: true },
      { path: "/home/alice", ext: "pdf" },
      { path: "/home/alice", name: "*" },
      { path: "/home/alice", name: "*.*", ext: "pdf" },
      { path: "/home/alice", files: ["/home/alice/a.pdf", "/home/alice/b.pdf"] },
      { source: "/home/alice/a", destination: "/tmp" },
      { source: "/home/alice", contents: true, destination: "/tmp" },
      { source: "/home/alice", kind: "image", destination: "/tmp" },
      { path: "/home/alice/a.txt", newName: "b.txt" },
      { path: "/home/alice/notes.txt", content: "x", append: true },
      { path: "/home/alice/notes.txt", content: "x" },
    ];
    let compared = 0;
    for (const handler of handlers) {
      const accepted = Object.keys((handler.args as unknown as { shape: Record<string, unknown> }).shape);
      for (const slots of slotSets) {
        // Only arguments the handler takes (its schema drops the others before it runs).
        if (!Object.keys(slots).every((key) => accepted.includes(key))) continue;
        const declared = declaredPathEffects(
          { pathArgs: handler.pathArgs ?? [], pathEffects: handler.pathEffects, readOnly: handler.readOnly ?? false },
          slots,
        ).filter((effect) => effect.kind !== "read");
        const planned = plannedEffects({ intent: handler.intent, slots }).filter((effect) => effect.kind !== "read");
        if (planned.length === 0 && !["files.list", "files.read"].includes(handler.intent)) continue;
        expect(
          planned.map((effect) => `${effect.kind} ${effect.path}`).sort(),
          `${handler.intent} ${JSON.stringify(slots)}`,
        ).toEqual(declared.map((effect) => `${effect.kind} ${effect.input}`).sort());
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(15);
  });

  it("reads folder/* as everything in the folder", () => {
    expect(plannedEffects({ intent: "files.delete", slots: { path: "/home/alice/*" } })).toEqual([
      { kind: "empty", path: "/home/alice", shown: "/home/alice/*" },
    ]);
  });
});
