import { defineHandler, type HandlerContext, type HandlerResult, ProcessingError, z } from "../../sdk.js";
import { type ChecksumAlgorithm, checksumAlgorithms, checksumOf } from "./count-text.js";
import { openFile } from "./open-file.js";

const algorithmNames = Object.keys(checksumAlgorithms) as [ChecksumAlgorithm, ...ChecksumAlgorithm[]];

const checksumArguments = z.object({
  path: z.string().optional().describe("The file"),
  paths: z.array(z.string()).max(1000).optional().describe("Several files"),
  algorithm: z.enum(algorithmNames).default("sha256").describe("md5, sha1, sha224, sha256 (default), sha384, sha512 or blake2"),
  expected: z
    .string()
    .regex(/^[0-9a-fA-F]+$/)
    .optional()
    .describe("A checksum to compare with: the answer says whether the file matches it"),
  bare: z.boolean().optional().describe("Print as sha256sum does: the checksum, two spaces, the name"),
});

type ChecksumArguments = z.infer<typeof checksumArguments>;

const shownAlgorithm: Record<ChecksumAlgorithm, string> = {
  md5: "MD5",
  sha1: "SHA-1",
  sha224: "SHA-224",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
  blake2: "BLAKE2b",
};

async function runChecksum(args: ChecksumArguments, context: HandlerContext): Promise<HandlerResult> {
  const inputs = [...(args.paths ?? []), ...(args.path === undefined ? [] : [args.path])];
  if (inputs.length === 0) throw new ProcessingError("A checksum of which file? Name it.", { code: "REQUEST_INVALID" });
  const results: Array<{ path: string; shown: string; checksum: string; matches?: boolean }> = [];
  const errors: string[] = [];
  for (const input of inputs) {
    let file: Awaited<ReturnType<typeof openFile>>;
    try {
      file = await openFile(context, input);
    } catch (error) {
      if (inputs.length === 1 || !(error instanceof Error)) throw error;
      errors.push(`${input}: ${error.message}`);
      continue;
    }
    try {
      const checksum = await checksumOf(file.handle, args.algorithm, context.signal);
      const matches = args.expected === undefined ? undefined : checksum === args.expected.toLowerCase();
      results.push({ path: file.realPath, shown: file.shown, checksum, ...(matches === undefined ? {} : { matches }) });
    } finally {
      await file.handle.close();
    }
  }
  const name = shownAlgorithm[args.algorithm];
  const lines = results.map((result) => `${result.checksum}  ${result.shown}`);
  let message: string;
  if (args.bare === true) message = [...lines, ...errors].join("\n");
  else if (results.length === 1 && results[0] !== undefined && errors.length === 0) {
    const only = results[0];
    message = `${name} checksum of ${only.shown}:\n${only.checksum}`;
    if (only.matches === true) message += `\nIt matches the checksum you gave.`;
    if (only.matches === false) message += `\nIt does NOT match the checksum you gave (${args.expected}).`;
  } else {
    message = [`${name} checksums:`, ...lines, ...errors.map((error) => `not read: ${error}`)].join("\n");
  }
  return { success: results.length > 0, message, data: { algorithm: args.algorithm, files: results } };
}

/** files.checksum: a file's checksum (sha256 by default; md5, sha1, sha512…), streamed, compared when one is given. */
export const checksumHandler = defineHandler({
  intent: "files.checksum",
  readOnly: true,
  pathArgs: ["path", "paths"],
  description: "Compute a file's checksum (sha256 by default, or md5, sha1, sha512…) and compare it with a given one",
  examples: ["sha256 checksum of {path:path}"],
  args: checksumArguments,
  run: runChecksum,
});
