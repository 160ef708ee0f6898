import { spawn } from "node:child_process";

/**
 * An attacker for race tests: a python3 process that swaps two directory entries with
 * renameat2(RENAME_EXCHANGE) in a tight loop (each swap atomic, so at every instant one of the two names is
 * the real entry and the other the link), until stopped. Typical use: a real file (or folder) and a symbolic
 * link to something outside the allowed roots, side by side.
 */
export interface ExchangeSwapper {
  /** Stop swapping; resolves with how many swaps were made. The two entries end as they began. */
  stop(): Promise<number>;
}

const script = String.raw`
import ctypes, os, sys, signal
libc = ctypes.CDLL(None, use_errno=True)
# Stop when the test process dies (a timed-out test must not leave a swapper running): PR_SET_PDEATHSIG, SIGTERM.
libc.prctl(1, signal.SIGTERM)
if os.getppid() == 1:
    sys.exit(3)
AT_FDCWD = -100
RENAME_EXCHANGE = 2
first, second = os.fsencode(sys.argv[1]), os.fsencode(sys.argv[2])
if hasattr(libc, "renameat2"):
    def exchange():
        return libc.renameat2(AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE)
else:
    def exchange():
        return libc.syscall(316, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE)
running = True
def stop(*_):
    global running
    running = False
signal.signal(signal.SIGTERM, stop)
count = 0
sys.stdout.write("ready\n"); sys.stdout.flush()
while running:
    # A name briefly missing (the program under test moved it) is not the end of the race.
    if exchange() == 0:
        count += 1
if count % 2 == 1 and exchange() == 0:
    count += 1
sys.stdout.write("%d\n" % count); sys.stdout.flush()
`;

/** Start swapping `first` and `second` (both must exist); resolves once the loop runs. */
export async function startExchangeSwapper(options: { first: string; second: string }): Promise<ExchangeSwapper> {
  const child = spawn("python3", ["-c", script, options.first, options.second], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let errors = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    errors += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (output.startsWith("ready\n")) resolve();
      else setTimeout(check, 5);
    };
    exited.then((code) => reject(new Error(`the swapper stopped (${code}): ${errors}`)));
    check();
  });
  return {
    async stop() {
      child.kill("SIGTERM");
      const code = await exited;
      if (code !== 0) throw new Error(`the swapper failed (${code}): ${errors}`);
      return Number(output.split("\n")[1]);
    },
  };
}
