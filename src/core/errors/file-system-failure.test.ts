import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createFileTools } from "../../tools/files/files-plugin.js";
import { startToolAgent, type ToolAgent } from "../../tools/testing/start-tool-agent.js";

let tools: ToolAgent | undefined;
afterEach(async () => {
  await tools?.stop();
  tools = undefined;
});

describe("file-system failures", () => {
  it("tells the person a folder does not exist, instead of blaming the plugin", async () => {
    tools = await startToolAgent({ plugins: [createFileTools()] });
    const missing = path.join(tools.root, "Downloads");
    const response = await tools.call("files.organize", { path: missing, method: "type" });
    expect(response.success).toBe(false);
    expect(response.message).toBe(`There is no file or folder ${missing}.`);
    expect(response.metadata.error?.code).toBe("FILE_NOT_FOUND");
  });
});
