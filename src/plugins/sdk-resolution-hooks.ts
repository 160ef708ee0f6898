/**
 * Module resolution hooks (node:module register) that make `import ... from "astros/sdk"` in a
 * plugin resolve to the running AstrOS, wherever the plugin lives. One SDK copy per process
 * keeps brands, types and state consistent; plugins need no install of their own.
 */
interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context?: Partial<ResolveContext>) => Promise<unknown>;

let hostUrl = "";

export async function initialize(data: { hostUrl: string }): Promise<void> {
  hostUrl = data.hostUrl;
}

export async function resolve(specifier: string, context: ResolveContext, nextResolve: NextResolve): Promise<unknown> {
  if (hostUrl !== "" && (specifier === "astros" || specifier.startsWith("astros/"))) {
    return nextResolve(specifier, { ...context, parentURL: hostUrl });
  }
  return nextResolve(specifier, context);
}
