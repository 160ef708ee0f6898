/**
 * The code each scan worker runs, as a CommonJS script for `new Worker(source, { eval: true })`: a string, so
 * it runs the same from the compiled files, the bundled CLI and the TypeScript sources under test, with nothing
 * to find on disk but hash-wasm's xxhash64 (whose path the pool resolves and passes in `workerData.hashWasmPath`).
 *
 * Answers are typed arrays, moved to the main thread without a copy and with no object or string per file:
 * - `{ id, op: "stat", paths, hashFrom?, hashUpTo? }` answers `{ id, stats, hashes }`: `stats` holds 7 numbers per
 *   path (kind: 0 file, 1 directory, 2 symlink, 3 other, -1 unreadable; size; allocated bytes; dev; ino; nlink;
 *   mtimeMs), by lstat, so links are never followed. When `hashUpTo` is given, `hashes` holds the "whole" hash of
 *   each regular file of `hashFrom` to `hashUpTo` bytes, read while the file is at hand.
 * - `{ id, op: "hash", mode, paths, sizes }` answers `{ id, hashes }`: "whole" reads a small file at once,
 *   "partial" its first and last 64 KB, "full" all of it in 1 MB chunks.
 * A hash is 3 numbers per path: state (1 hashed, 0 not asked, -1 unreadable or no longer the size given) and the
 * xxhash64 digest's high and low 32 bits. Failures answer `{ id, error }`. Files are opened with O_NOATIME where
 * allowed, so a scan leaves their access times alone.
 */
export const scanWorkerSource = `"use strict";
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
const { createXXHash64 } = require(workerData.hashWasmPath);

const statFields = 7;
const hashFields = 3;
const edge = 64 * 1024;
const chunk = 1024 * 1024;
let buffer = Buffer.allocUnsafe(chunk);
const ready = createXXHash64();
const noAccessTime = fs.constants.O_NOATIME || 0;
const ownUid = typeof process.getuid === "function" ? process.getuid() : -1;

/** Opens a file to read it without updating its access time where the system allows it (own files, or as root):
 * a scan is not a use, and it saves the disk a metadata write per file. Never through a link swapped in for the file
 * since it was listed (O_NOFOLLOW): what is hashed is a file the walk saw as a file, or nothing. */
function openToRead(path, owner) {
  if (noAccessTime !== 0 && (ownUid === 0 || owner === undefined || owner === ownUid)) {
    try {
      return fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | noAccessTime);
    } catch (error) {
      if (!error || error.code !== "EPERM") throw error;
    }
  }
  return fs.openSync(path, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
}

function statAll(paths, hasher, hashFrom, hashUpTo) {
  const out = new Float64Array(paths.length * statFields);
  const hashes = hashUpTo === undefined ? undefined : new Float64Array(paths.length * hashFields);
  for (let index = 0; index < paths.length; index++) {
    const at = index * statFields;
    let stats;
    try {
      stats = fs.lstatSync(paths[index], { throwIfNoEntry: false });
    } catch {
      stats = undefined;
    }
    if (stats === undefined) {
      out[at] = -1;
      continue;
    }
    out[at] = stats.isFile() ? 0 : stats.isDirectory() ? 1 : stats.isSymbolicLink() ? 2 : 3;
    out[at + 1] = stats.size;
    out[at + 2] = stats.blocks * 512;
    out[at + 3] = stats.dev;
    out[at + 4] = stats.ino;
    out[at + 5] = stats.nlink;
    out[at + 6] = stats.mtimeMs;
    if (hashes !== undefined && out[at] === 0 && stats.size >= hashFrom && stats.size <= hashUpTo) {
      hashInto(hashes, index, hasher, "whole", paths[index], stats.size, stats.uid);
    }
  }
  return { stats: out, hashes };
}

function readAt(descriptor, length, position) {
  if (buffer.length < length) buffer = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    const count = fs.readSync(descriptor, buffer, done, length - done, position + done);
    if (count === 0) break;
    done += count;
  }
  return done;
}

/** Feeds the hasher the file's content as the mode says; false when the file is not the size it had. */
function feed(hasher, mode, descriptor, size) {
  if (mode === "whole") {
    // One read of one byte more than expected: it comes back short at the end of the file, and a file that grew
    // since it was stat'ed (not the file that was compared) shows as a longer read.
    if (buffer.length < size + 1) buffer = Buffer.allocUnsafe(size + 1);
    let done = fs.readSync(descriptor, buffer, 0, size + 1, 0);
    // A short read before the end (some network file systems): read on.
    while (done < size) {
      const count = fs.readSync(descriptor, buffer, done, size + 1 - done, done);
      if (count === 0) break;
      done += count;
    }
    if (done !== size) return false;
    hasher.update(buffer.subarray(0, size));
    return true;
  }
  if (mode === "partial") {
    if (readAt(descriptor, edge, 0) !== edge) return false;
    hasher.update(buffer.subarray(0, edge));
    if (readAt(descriptor, edge, size - edge) !== edge) return false;
    hasher.update(buffer.subarray(0, edge));
    return true;
  }
  let position = 0;
  for (;;) {
    const count = fs.readSync(descriptor, buffer, 0, chunk, position);
    if (count === 0) break;
    hasher.update(buffer.subarray(0, count));
    position += count;
    if (position > size) return false;
  }
  return position === size;
}

function hashInto(out, index, hasher, mode, path, size, owner) {
  const at = index * hashFields;
  let descriptor;
  try {
    descriptor = openToRead(path, owner);
    hasher.init();
    if (!feed(hasher, mode, descriptor, size)) {
      out[at] = -1;
      return;
    }
    const digest = hasher.digest("binary");
    out[at] = 1;
    out[at + 1] = ((digest[0] << 24) | (digest[1] << 16) | (digest[2] << 8) | digest[3]) >>> 0;
    out[at + 2] = ((digest[4] << 24) | (digest[5] << 16) | (digest[6] << 8) | digest[7]) >>> 0;
  } catch {
    out[at] = -1;
  } finally {
    if (descriptor !== undefined) fs.closeSync(descriptor);
  }
}

function answer(message, hasher) {
  if (message.op === "stat") {
    const { stats, hashes } = statAll(message.paths, hasher, message.hashFrom ?? 0, message.hashUpTo);
    parentPort.postMessage({ id: message.id, stats, hashes }, hashes === undefined ? [stats.buffer] : [stats.buffer, hashes.buffer]);
    return;
  }
  const hashes = new Float64Array(message.paths.length * hashFields);
  for (let index = 0; index < message.paths.length; index++) {
    hashInto(hashes, index, hasher, message.mode, message.paths[index], message.sizes[index]);
  }
  parentPort.postMessage({ id: message.id, hashes }, [hashes.buffer]);
}

parentPort.on("message", (message) => {
  ready.then(
    (hasher) => {
      try {
        answer(message, hasher);
      } catch (error) {
        parentPort.postMessage({ id: message.id, error: String((error && error.message) || error) });
      }
    },
    (error) => parentPort.postMessage({ id: message.id, error: String(error) }),
  );
});
`;
