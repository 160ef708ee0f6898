/** tar-stream, loaded when a tar is first read or made (bundled, a CommonJS module's exports are its default export). */
export async function loadTarStream(): Promise<typeof import("tar-stream")> {
  const module = (await import("tar-stream")) as typeof import("tar-stream") & { default?: typeof import("tar-stream") };
  return typeof module.extract === "function" ? module : (module.default as typeof import("tar-stream"));
}
