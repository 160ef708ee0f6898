import { assertCredentialName } from "../../auth/credential-name.js";
import { CredentialStore } from "../../auth/credential-store.js";
import { credentialNotFoundError, invalidCredentialError } from "../../auth/credential-store-errors.js";
import { terminalHiddenPrompt } from "../../auth/read-hidden-line.js";
import { loadConfig } from "../../config/load-config.js";
import type { Output } from "../output.js";
import { readStandardInput } from "../read-standard-input.js";

interface CredentialsCommandOptions {
  output: Output;
  /** `--config`, applied on top of the usual files. */
  configPath: string | undefined;
}

async function openStore(configPath: string | undefined): Promise<CredentialStore> {
  const loaded = await loadConfig(configPath === undefined ? {} : { env: { ...process.env, ASTROS_CONFIG: configPath } });
  return CredentialStore.fromConfig({ configuration: loaded.config.credentials });
}

/** `astros credentials set <name>`: the value typed at a hidden prompt, or read from stdin when piped. */
export async function setCredential(
  options: CredentialsCommandOptions & { name: string; valueFromStdin: boolean },
): Promise<number> {
  assertCredentialName(options.name);
  const store = await openStore(options.configPath);
  const value = await readValue(options);
  await store.set(options.name, value);
  options.output.err(options.output.colors.green(`✓ stored ${options.name} in ${store.file}`));
  return 0;
}

/** `astros credentials get <name>`: the value on stdout; exit 1 when there is none. */
export async function getCredential(options: CredentialsCommandOptions & { name: string }): Promise<number> {
  const value = await (await openStore(options.configPath)).get(options.name);
  if (value === undefined) throw credentialNotFoundError({ name: options.name });
  options.output.out(value);
  return 0;
}

/** `astros credentials list`: names and times, never values. */
export async function listCredentials(options: CredentialsCommandOptions & { json: boolean }): Promise<number> {
  const { output } = options;
  const credentials = await (await openStore(options.configPath)).list();
  if (options.json) {
    output.out(JSON.stringify(credentials, null, 2));
    return 0;
  }
  if (credentials.length === 0) output.err(output.colors.dim("No credentials stored."));
  const width = Math.max(4, ...credentials.map((credential) => credential.name.length));
  const when = (time: string) => time.replace("T", " ").slice(0, 19);
  if (credentials.length > 0) output.out(output.colors.dim(`${"NAME".padEnd(width)}  ${"UPDATED".padEnd(19)}  CREATED`));
  for (const credential of credentials)
    output.out(`${credential.name.padEnd(width)}  ${when(credential.updatedAt)}  ${when(credential.createdAt)}`);
  return 0;
}

/** `astros credentials delete <name>`: exit 1 when there was none. */
export async function deleteCredential(options: CredentialsCommandOptions & { name: string }): Promise<number> {
  const store = await openStore(options.configPath);
  if (!(await store.delete(options.name))) throw credentialNotFoundError({ name: options.name });
  options.output.err(options.output.colors.green(`✓ deleted ${options.name}`));
  return 0;
}

/** A hidden prompt on a terminal; otherwise (or with --value-stdin) all of stdin, less one final newline. */
async function readValue(options: { name: string; valueFromStdin: boolean }): Promise<string> {
  const prompt = options.valueFromStdin ? undefined : terminalHiddenPrompt();
  const value =
    prompt === undefined ? (await readStandardInput()).replace(/\r?\n$/, "") : await prompt(`Value for ${options.name}: `);
  if (value === "")
    throw invalidCredentialError({
      message: "a credential value cannot be empty",
      recovery: `Type it at the prompt, or pipe it in: printf '%s' "$TOKEN" | astros credentials set ${options.name}`,
    });
  return value;
}
