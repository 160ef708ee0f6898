// Generated file trees for the scanning benchmarks, under os.tmpdir(): the same layout every run (seeded; the
// contents are random bytes), with what each benchmark needs to check its answer (how many files have an
// extension, which files are copies).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { closeSync, linkSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A small seeded generator (mulberry32), so every run builds the same tree. */
function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const extensions = ["txt", "md", "js", "ts", "json", "jpg", "png", "mp3", "mp4", "zip", "csv", "html", "css", "py", "log"];

/** Writes the new tree out to disk, so its writeback does not land in the timed runs. */
function settle() {
  execFileSync("sync");
}

/** Folders nested three deep, `perFolder` files each; returns the folder paths. */
function makeFolders(root, count, random) {
  const folders = [];
  for (let index = 0; index < count; index++) {
    const top = `area-${index % 20}`;
    const middle = `part-${Math.floor(index / 20) % 10}`;
    const folder = path.join(root, top, middle, `box-${index}-${Math.floor(random() * 1000)}`);
    mkdirSync(folder, { recursive: true });
    folders.push(folder);
  }
  return folders;
}

/**
 * A tree of empty files with mixed extensions, one in 50 a `.pdf`.
 * @returns {{ root: string, files: number, pdfs: number, cleanup(): void }}
 */
export function generateSearchTree({ files = 200_000, perFolder = 100, seed = 1 } = {}) {
  const random = seeded(seed);
  const root = mkdtempSync(path.join(os.tmpdir(), "astros-bench-search-"));
  const folders = makeFolders(root, Math.ceil(files / perFolder), random);
  let pdfs = 0;
  for (let index = 0; index < files; index++) {
    const folder = folders[Math.floor(index / perFolder)];
    const pdf = index % 50 === 7;
    if (pdf) pdfs++;
    const extension = pdf ? "pdf" : extensions[Math.floor(random() * extensions.length)];
    closeSync(openSync(path.join(folder, `file-${index}.${extension}`), "w"));
  }
  settle();
  return { root, files, pdfs, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * Small files (64 B to 4 KB; many share a size without sharing content), a few hundred large ones (2 to 5 MB),
 * copies of some of each, and hard links (which are not copies).
 * @returns {{ root: string, files: number, bytes: number, groups: string[][], reclaimable: number, cleanup(): void }}
 */
export function generateDuplicateTree({ smallFiles = 200_000, largeFiles = 300, perFolder = 100, seed = 2 } = {}) {
  const random = seeded(seed);
  const root = mkdtempSync(path.join(os.tmpdir(), "astros-bench-duplicates-"));
  const folders = makeFolders(root, Math.ceil(smallFiles / perFolder) + 1, random);
  const groups = [];
  let totalBytes = 0;
  let reclaimable = 0;
  let written = 0;
  const place = (index, extension) => path.join(folders[index % folders.length], `f-${index}.${extension}`);
  const writeOne = (target, content) => {
    writeFileSync(target, content);
    written++;
    totalBytes += content.length;
  };
  // Originals; one in 40 gets one to three copies elsewhere in the tree.
  let index = 0;
  for (; index < smallFiles; index++) {
    const size = 64 + Math.floor(random() * 4033);
    const content = randomBytes(size);
    const original = place(index, extensions[index % extensions.length]);
    writeOne(original, content);
    if (index % 40 === 3) {
      const group = [original];
      const copies = 1 + (index % 3);
      for (let copy = 0; copy < copies; copy++) {
        const target = path.join(folders[(index * 7 + copy * 13) % folders.length], `copy-${index}-${copy}.bin`);
        writeOne(target, content);
        group.push(target);
        reclaimable += size;
      }
      groups.push(group);
    } else if (index % 97 === 5) {
      // A hard link is the same file, not a copy.
      linkSync(original, path.join(folders[(index * 3) % folders.length], `link-${index}.bin`));
    }
  }
  const largeFolder = folders[folders.length - 1];
  for (let large = 0; large < largeFiles; large++, index++) {
    const size = (2 + Math.floor(random() * 4)) * 1024 * 1024;
    const content = randomBytes(size);
    const original = path.join(largeFolder, `large-${large}.dat`);
    writeOne(original, content);
    if (large % 10 === 0) {
      const copy = path.join(folders[large % (folders.length - 1)], `large-copy-${large}.dat`);
      writeOne(copy, content);
      groups.push([original, copy]);
      reclaimable += size;
    } else if (large % 10 === 1) {
      // Same size and same first and last 64 KB as the next file, different in the middle: not a copy.
      const twin = Buffer.from(content);
      twin[size >> 1] ^= 0xff;
      writeOne(path.join(largeFolder, `large-twin-${large}.dat`), twin);
    }
  }
  settle();
  return {
    root,
    files: written,
    bytes: totalBytes,
    groups,
    reclaimable,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
