import { defineHandler, definePlugin, z } from "../../sdk.js";
import { selectionArgs } from "../files/select-files.js";
import { archiveFormats } from "./archive-format.js";
import { createArchive } from "./create-archive.js";
import { extractArchive } from "./extract-archive.js";
import { listArchive } from "./list-archive.js";
import { onlyArchiveIn } from "./only-archive-in.js";

/**
 * Archives without a shell: zip, tar, tar.gz and gzip made, listed and extracted in-process (yazl, yauzl,
 * tar-stream, node:zlib). Everything is read through the file boundary and written through the journal, so
 * `astros undo` removes an archive made or the files extracted; extraction never writes outside its folder, never
 * follows or makes a link, and never replaces a file.
 */
export function createArchiveTools() {
  return definePlugin({
    name: "archive",
    version: "1.0.0",
    description: "Archives: zip, tar, tar.gz and gzip: make one, see what is inside, extract it (undoable)",
    author: "AstrOS",
    requiresPermissions: ["file_system"],
    handlers: {
      create: defineHandler({
        intent: "archive.create",
        pathArgs: ["paths", "source", "destination"],
        pathEffects: { paths: "read", source: "read", destination: "create" },
        description: "Pack files and folders into a zip, tar, tar.gz or gz (beside them unless told where; never over a file)",
        examples: ["zip up the taxes folder", "make a tar.gz of projects/site"],
        args: z
          .object({
            paths: z.array(z.string()).min(1).optional(),
            source: z.string().optional(),
            ext: selectionArgs.ext,
            kind: selectionArgs.kind,
            recursive: z.boolean().optional(),
            destination: z.string().optional(),
            format: z.enum(archiveFormats).optional(),
          })
          .refine((args) => args.paths !== undefined || (args.source !== undefined && (args.ext ?? args.kind) !== undefined), {
            message: "Say which files or folders to pack: paths, or a source folder with ext or kind",
          }),
        run: (args, context) => createArchive(context, args),
      }),
      list: defineHandler({
        intent: "archive.list",
        readOnly: true,
        pathArgs: ["path"],
        description: "List what an archive holds without extracting it",
        examples: ["what's inside backup.tar.gz", "list the files in project.zip"],
        args: z.object({ path: z.string() }),
        run: (args, context) => listArchive(context, args),
      }),
      extract: defineHandler({
        intent: "archive.extract",
        pathArgs: ["path", "destination"],
        pathEffects: { path: "read", destination: "modify" },
        description:
          "Extract an archive into a folder (default: a new folder beside it); refuses entries that would land outside it or replace a file",
        examples: ["unzip photos.zip", "extract fonts.tar.gz into Documents/Fonts"],
        args: z.object({
          path: z.string(),
          destination: z.string().optional(),
          /** `path` is a folder: the one archive of this format ("zip", or "any") in it. */
          onlyOfFormat: z.string().optional(),
        }),
        run: async ({ onlyOfFormat, ...args }, context) =>
          extractArchive(
            context,
            onlyOfFormat === undefined ? args : { ...args, path: await onlyArchiveIn(context, args.path, onlyOfFormat) },
          ),
      }),
    },
  });
}
