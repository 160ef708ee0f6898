/** The kinds of file a request can name ("find my photos", "large videos"), decided by extension. */
export const fileKinds = [
  "image",
  "video",
  "audio",
  "document",
  "archive",
  "code",
  "spreadsheet",
  "presentation",
  "text",
] as const;

export type FileKind = (typeof fileKinds)[number];

const extensionsByKind: Record<FileKind, readonly string[]> = {
  image: [
    ..."jpg jpeg jpe jfif png gif bmp tif tiff webp heic heif avif jxl svg ico psd xcf".split(" "),
    ..."raw cr2 cr3 nef arw dng orf rw2 raf srw pef".split(" "),
  ],
  video: "mp4 m4v mkv mov avi wmv flv webm mpg mpeg m2ts mts vob ogv 3gp 3g2".split(" "),
  audio: "mp3 wav flac aac ogg oga opus m4a wma aiff aif alac mid midi amr ape".split(" "),
  document: "pdf doc docx odt rtf epub mobi azw3 pages tex wpd xps djvu".split(" "),
  archive: "zip tar gz tgz bz2 tbz2 xz txz zst lz lzma 7z rar cab iso dmg deb rpm jar apk".split(" "),
  code: [
    ..."js mjs cjs jsx ts mts cts tsx py pyi rb go rs java kt kts scala groovy c h cc cpp cxx hpp hh cs fs swift".split(" "),
    ..."m mm php pl pm sh bash zsh fish ps1 bat lua r jl dart ex exs erl hrl hs ml clj vue svelte sql".split(" "),
    ..."html htm css scss sass less wasm ipynb".split(" "),
  ],
  spreadsheet: "xls xlsx xlsm ods csv tsv numbers".split(" "),
  presentation: "ppt pptx pps ppsx odp key".split(" "),
  text: "txt text md markdown rst adoc org log json jsonl yaml yml toml xml ini cfg conf env".split(" "),
};

// An extension in two lists keeps the first kind (`mts`: a camera's video before a TypeScript module).
const kindByExtension = new Map<string, FileKind>();
for (const kind of fileKinds) {
  for (const extension of extensionsByKind[kind]) if (!kindByExtension.has(extension)) kindByExtension.set(extension, kind);
}

/** The lower-case extension of a file name without the dot ("" for none; ".bashrc" has none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf(".");
  return dot <= 0 || dot === name.length - 1 ? "" : name.slice(dot + 1).toLowerCase();
}

/** The kind a file name's extension says, or undefined when the table does not know it. */
export function kindOf(name: string): FileKind | undefined {
  return kindByExtension.get(extensionOf(name));
}

/** The extensions of one kind (lower case, no dots). */
export function extensionsOf(kind: FileKind): readonly string[] {
  return extensionsByKind[kind];
}
