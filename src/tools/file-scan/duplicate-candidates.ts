import { hashState } from "./scan-worker-pool.js";

/**
 * The files a duplicate search compares, kept as columns indexed by an id rather than as an object per file: a scan
 * of hundreds of thousands of files then makes little garbage (measured: with an object and a hash string per file,
 * collecting them took a third of the main thread's time). A file with several names (hard links) is one candidate.
 */
export class DuplicateCandidates {
  readonly paths: string[] = [];
  readonly sizes: number[] = [];
  readonly modifiedMs: number[] = [];
  readonly nlinks: number[] = [];
  /** `hashState` values; the latest hash taken (whole, or of the edges until a full one replaces it). */
  readonly hashStates: number[] = [];
  readonly hashHigh: number[] = [];
  readonly hashLow: number[] = [];
  /** Paths skipped because they name a file already added. */
  hardLinks = 0;
  readonly #links = new Map<number, string[]>();
  readonly #byInode = new Map<string, number>();
  readonly #bySize = new Map<number, number[]>();

  get count(): number {
    return this.paths.length;
  }

  /**
   * Add a file and give its id, or -1 when it is another name of a file already added (it becomes a link of that
   * one). `inode` ("dev:ino") is needed only for files with several links. Positional, not an options object:
   * this runs once per file of the scan.
   */
  add(filePath: string, size: number, modifiedMs: number, nlink: number, inode: string | undefined): number {
    if (inode !== undefined) {
      const known = this.#byInode.get(inode);
      if (known !== undefined) {
        this.#addLink(known, filePath);
        return -1;
      }
      this.#byInode.set(inode, this.paths.length);
    }
    const id = this.paths.length;
    this.paths.push(filePath);
    this.sizes.push(size);
    this.modifiedMs.push(modifiedMs);
    this.nlinks.push(nlink);
    this.hashStates.push(hashState.notAsked);
    this.hashHigh.push(0);
    this.hashLow.push(0);
    const sameSize = this.#bySize.get(size);
    if (sameSize === undefined) this.#bySize.set(size, [id]);
    else sameSize.push(id);
    return id;
  }

  /** The other names of a file (hard links found in the scan), sorted. */
  links(id: number): string[] {
    return [...(this.#links.get(id) ?? [])].sort();
  }

  /** Groups of ids of files that share their size with another. */
  sameSize(): number[][] {
    return [...this.#bySize.values()].filter((group) => group.length > 1);
  }

  setHash(id: number, state: number, high: number, low: number): void {
    this.hashStates[id] = state;
    this.hashHigh[id] = high;
    this.hashLow[id] = low;
  }

  /** Within each group (files of one size), the files that share a hash, in groups of two or more. */
  sameHash(groups: readonly number[][]): number[][] {
    const found: number[][] = [];
    const high = this.hashHigh;
    const low = this.hashLow;
    for (const group of groups) {
      const hashed = group.filter((id) => this.hashStates[id] === hashState.hashed);
      hashed.sort((a, b) => (high[a] as number) - (high[b] as number) || (low[a] as number) - (low[b] as number));
      let start = 0;
      for (let index = 1; index <= hashed.length; index++) {
        const previous = hashed[index - 1] as number;
        const current = hashed[index];
        if (current !== undefined && high[current] === high[previous] && low[current] === low[previous]) continue;
        if (index - start > 1) found.push(hashed.slice(start, index));
        start = index;
      }
    }
    return found;
  }

  /** A file's hash as 16 hex digits. */
  hashText(id: number): string {
    const hex = (value: number | undefined) => (value ?? 0).toString(16).padStart(8, "0");
    return hex(this.hashHigh[id]) + hex(this.hashLow[id]);
  }

  #addLink(id: number, filePath: string): void {
    this.hardLinks += 1;
    const links = this.#links.get(id) ?? [];
    this.#links.set(id, links);
    // The file goes by the name that sorts first, whatever the walk's order.
    const current = this.paths[id] as string;
    if (filePath < current) {
      links.push(current);
      this.paths[id] = filePath;
    } else {
      links.push(filePath);
    }
  }
}
