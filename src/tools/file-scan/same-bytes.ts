import { openForReading } from "../../sdk.js";

const chunkSize = 1024 * 1024;

/**
 * Whether two files hold exactly the same bytes, compared in 1 MB chunks. The duplicates scan groups
 * by a fast non-cryptographic hash, and files can change after a scan: before a copy is removed its
 * bytes are compared with the kept file's, one by one. Both are opened through the file boundary: never through a
 * link (on any folder of the way) and never a file with other names (a hard link may name a file outside the roots).
 */
export async function sameBytes(first: string, second: string): Promise<boolean> {
  const [openedA, openedB] = await Promise.allSettled([openForReading(first), openForReading(second)]);
  if (openedA.status === "rejected" || openedB.status === "rejected") {
    if (openedA.status === "fulfilled") await openedA.value.handle.close();
    if (openedB.status === "fulfilled") await openedB.value.handle.close();
    throw openedA.status === "rejected" ? openedA.reason : (openedB as PromiseRejectedResult).reason;
  }
  const [a, b] = [openedA.value.handle, openedB.value.handle];
  try {
    const [statsA, statsB] = await Promise.all([a.stat(), b.stat()]);
    if (statsA.size !== statsB.size) return false;
    const bufferA = Buffer.alloc(chunkSize);
    const bufferB = Buffer.alloc(chunkSize);
    for (let position = 0; position < statsA.size; position += chunkSize) {
      const [readA, readB] = await Promise.all([
        a.read(bufferA, 0, chunkSize, position),
        b.read(bufferB, 0, chunkSize, position),
      ]);
      if (
        readA.bytesRead !== readB.bytesRead ||
        !bufferA.subarray(0, readA.bytesRead).equals(bufferB.subarray(0, readB.bytesRead))
      ) {
        return false;
      }
      if (readA.bytesRead === 0) break;
    }
    return true;
  } finally {
    await Promise.all([a.close(), b.close()]);
  }
}
