/**
 * All of standard input as text (a secret piped in by a script). The buffers it passed through
 * are zeroed afterwards, so the secret does not linger in memory longer than the string.
 */
export async function readStandardInput(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer));
  const buffer = Buffer.concat(chunks);
  try {
    return buffer.toString("utf8");
  } finally {
    buffer.fill(0);
    for (const chunk of chunks) chunk.fill(0);
  }
}
