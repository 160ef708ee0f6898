/** Dimensions of the builtin embedding. */
export const builtinEmbeddingDimensions = 384;

/**
 * An embedding that needs no model weights: the hashing trick over a text's words and their
 * character trigrams (so "photo", "photos" and "fotos" land near each other), with sublinear term
 * weights, normalised to unit length so a dot product is the cosine similarity. It knows no
 * synonyms; it is for finding texts that share words and word pieces, offline and instantly.
 */
export function builtinEmbedding(text: string, dimensions = builtinEmbeddingDimensions): number[] {
  const counts = new Map<string, number>();
  const add = (feature: string, weight: number) => counts.set(feature, (counts.get(feature) ?? 0) + weight);
  const words =
    text
      .normalize("NFKC")
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? [];
  for (const word of words) {
    add(`w:${word}`, 1);
    const padded = `<${word}>`;
    for (let index = 0; index + 3 <= padded.length; index++) add(`t:${padded.slice(index, index + 3)}`, 0.5);
  }
  const vector = new Array<number>(dimensions).fill(0);
  for (const [feature, count] of counts) {
    const hash = fnv1a(feature);
    // One bit of the hash picks the sign, so colliding features tend to cancel rather than pile up.
    vector[hash % dimensions] = (vector[hash % dimensions] ?? 0) + (hash >>> 31 === 1 ? -1 : 1) * (1 + Math.log(count));
  }
  const length = Math.hypot(...vector);
  return length === 0 ? vector : vector.map((value) => value / length);
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let lengthA = 0;
  let lengthB = 0;
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const x = a[index] ?? 0;
    const y = b[index] ?? 0;
    dot += x * y;
    lengthA += x * x;
    lengthB += y * y;
  }
  return lengthA === 0 || lengthB === 0 ? 0 : dot / Math.sqrt(lengthA * lengthB);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
