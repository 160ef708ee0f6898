import { access, readdir, readFile, realpath } from "node:fs/promises";
import path from "node:path";
import { PluginError } from "../core/errors/plugin-error.js";
import { type PluginManifest, packageAstrosFieldSchema } from "./plugin-manifest.js";
import { describeIssues, readPluginManifest, validateManifest } from "./read-plugin-manifest.js";

/** A plugin found on disk, manifest validated, not yet imported. */
export interface PluginCandidate {
  directory: string;
  manifest: PluginManifest;
  /** Absolute path of the module to import. */
  entryPath: string;
  origin: "directory" | "npm";
  /** Human-readable source: the manifest file or the package. */
  source: string;
}

/** A plugin that could not be used, and why. Discovery goes on past it. */
export interface PluginProblem {
  source: string;
  error: PluginError;
}

export interface DiscoveryResult {
  candidates: PluginCandidate[];
  problems: PluginProblem[];
}

interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
  author?: string | { name?: string; email?: string };
  main?: string;
  exports?: unknown;
  astros?: unknown;
}

/**
 * Find plugins in plugin directories (each a plugin with plugin.yaml, or a folder of them) and
 * in node_modules folders (packages whose package.json has an `astros` field). The first copy of
 * a directory wins; a broken plugin is reported and skipped.
 */
export async function discoverPlugins(options: {
  pluginPaths: readonly string[];
  nodeModulesPaths: readonly string[];
}): Promise<DiscoveryResult> {
  const result: DiscoveryResult = { candidates: [], problems: [] };
  const seen = new Set<string>();
  const add = async (directory: string, find: () => Promise<PluginCandidate | undefined>) => {
    const real = await realpath(directory).catch(() => directory);
    if (seen.has(real)) return;
    seen.add(real);
    try {
      const candidate = await find();
      if (candidate !== undefined) result.candidates.push(candidate);
    } catch (error) {
      const pluginError = PluginError.isInstance(error)
        ? (error as PluginError)
        : new PluginError(`${directory}: ${(error as Error).message}`, { code: "PLUGIN_LOAD_FAILED", cause: error });
      result.problems.push({ source: directory, error: pluginError });
    }
  };

  for (const pluginPath of options.pluginPaths) {
    if (await exists(path.join(pluginPath, "plugin.yaml"))) {
      await add(pluginPath, () => fromDirectory(pluginPath));
      continue;
    }
    for (const child of await listDirectories(pluginPath)) {
      await add(child, () => fromDirectory(child));
    }
  }
  for (const nodeModules of options.nodeModulesPaths) {
    for (const packageDirectory of await listPackages(nodeModules)) {
      await add(packageDirectory, () => fromPackage(packageDirectory));
    }
  }
  return result;
}

async function fromDirectory(directory: string): Promise<PluginCandidate | undefined> {
  const manifestPath = path.join(directory, "plugin.yaml");
  if (await exists(manifestPath)) {
    const manifest = await readPluginManifest(manifestPath);
    const packageJson = await readPackageJson(directory);
    const entryPath = await resolveEntry(directory, manifest.entry, packageJson, manifestPath);
    return { directory, manifest, entryPath, origin: "directory", source: manifestPath };
  }
  const packageJson = await readPackageJson(directory);
  if (packageJson?.astros !== undefined) return fromPackage(directory);
  return undefined;
}

async function fromPackage(directory: string): Promise<PluginCandidate | undefined> {
  const packageJson = await readPackageJson(directory);
  if (packageJson?.astros === undefined) return undefined;
  const packageJsonPath = path.join(directory, "package.json");
  const field = packageAstrosFieldSchema.safeParse(packageJson.astros);
  if (!field.success) {
    throw new PluginError(`${packageJsonPath}: astros: ${describeIssues(field.error.issues).join("; ")}`, {
      code: "PLUGIN_MANIFEST_INVALID",
      details: { file: packageJsonPath, field: "astros" },
    });
  }
  if (typeof field.data === "string") {
    const manifestPath = path.resolve(directory, field.data);
    const manifest = await readPluginManifest(manifestPath);
    const entryPath = await resolveEntry(directory, manifest.entry, packageJson, manifestPath);
    return { directory, manifest, entryPath, origin: "npm", source: packageJsonPath };
  }
  const sections = field.data === true ? {} : field.data;
  const author = typeof packageJson.author === "object" ? (packageJson.author?.name ?? "") : (packageJson.author ?? "");
  const manifest = validateManifest(
    {
      ...sections,
      metadata: { name: packageJson.name, version: packageJson.version, description: packageJson.description ?? "", author },
    },
    packageJsonPath,
  );
  const entryPath = await resolveEntry(directory, manifest.entry, packageJson, packageJsonPath);
  return { directory, manifest, entryPath, origin: "npm", source: packageJsonPath };
}

async function resolveEntry(
  directory: string,
  entry: string | undefined,
  packageJson: PackageJson | undefined,
  source: string,
): Promise<string> {
  const relative = entry ?? packageEntry(packageJson) ?? "index.js";
  const entryPath = path.resolve(directory, relative);
  if (!entryPath.startsWith(directory + path.sep)) {
    throw new PluginError(`${source}: entry "${relative}" points outside the plugin directory`, {
      code: "PLUGIN_MANIFEST_INVALID",
      details: { file: source, field: "entry" },
    });
  }
  if (!(await exists(entryPath))) {
    throw new PluginError(`${source}: entry module ${relative} does not exist (has the plugin been built?)`, {
      code: "PLUGIN_LOAD_FAILED",
      details: { file: source, field: "entry", entry: entryPath },
      recovery: "Build the plugin (e.g. `npm run build` in its folder) or fix `entry` in plugin.yaml.",
    });
  }
  return entryPath;
}

function packageEntry(packageJson: PackageJson | undefined): string | undefined {
  const exported = packageJson?.exports;
  if (typeof exported === "string") return exported;
  if (typeof exported === "object" && exported !== null) {
    const root = (exported as Record<string, unknown>)["."] ?? exported;
    if (typeof root === "string") return root;
    if (typeof root === "object" && root !== null) {
      const conditions = root as Record<string, unknown>;
      for (const condition of ["import", "node", "default"]) {
        if (typeof conditions[condition] === "string") return conditions[condition] as string;
      }
    }
  }
  return packageJson?.main;
}

async function readPackageJson(directory: string): Promise<PackageJson | undefined> {
  let text: string;
  try {
    text = await readFile(path.join(directory, "package.json"), "utf8");
  } catch {
    return undefined;
  }
  try {
    return JSON.parse(text) as PackageJson;
  } catch (error) {
    throw new PluginError(`${path.join(directory, "package.json")}: invalid JSON: ${(error as Error).message}`, {
      code: "PLUGIN_MANIFEST_INVALID",
      details: { file: path.join(directory, "package.json") },
    });
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

async function listDirectories(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  return entries
    .filter(
      (entry) => (entry.isDirectory() || entry.isSymbolicLink()) && !entry.name.startsWith(".") && entry.name !== "node_modules",
    )
    .map((entry) => path.join(directory, entry.name))
    .sort();
}

/** Package folders in a node_modules folder, scoped ones included. */
async function listPackages(nodeModules: string): Promise<string[]> {
  const packages: string[] = [];
  for (const directory of await listDirectories(nodeModules)) {
    if (path.basename(directory).startsWith("@")) packages.push(...(await listDirectories(directory)));
    else packages.push(directory);
  }
  return packages;
}
