import pc from "picocolors";

/** Where the CLI writes: answers to stdout, diagnostics to stderr; colour only on terminals. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  colors: ReturnType<typeof pc.createColors>;
  interactive: boolean;
}

export function terminalOutput(options: { color?: boolean } = {}): Output {
  const useColor = options.color ?? (process.stdout.isTTY === true && process.env.NO_COLOR === undefined);
  return {
    out: (text) => process.stdout.write(`${text}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
    colors: pc.createColors(useColor),
    interactive: process.stdin.isTTY === true && process.stdout.isTTY === true,
  };
}
