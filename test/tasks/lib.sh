# Helpers for the task files in this folder (and any task in the same format): sourced by bash before each
# task's setup, reference and check (scripts/run-tasks.mjs). Paths are relative to $HOME, the working folder,
# unless absolute. A check helper that finds its assertion false prints "FAIL: why" on stderr and exits 1.

fail() { printf 'FAIL: %s\n' "$*" >&2; exit 1; }
_py() { python3 "$TASK_DIR/checklib.py" "$@"; }
_check() { _py "$@" || exit 1; }

# ---------------------------------------------------------------- set-up

# mkf PATH [TEXT]: a text file (folders made); without TEXT, a line naming it.
mkf() {
  mkdir -p -- "$(dirname -- "$1")"
  if [ "$#" -gt 1 ]; then printf '%s\n' "$2" >"$1"; else printf 'this is %s\n' "$1" >"$1"; fi
}
# mkbin PATH BYTES: BYTES random bytes.
mkbin() { mkdir -p -- "$(dirname -- "$1")" && head -c "$2" /dev/urandom >"$1"; }
# ago DAYS PATH...: modified DAYS days ago (fractions allowed).
ago() {
  local days=$1 when
  shift
  when=$(awk -v d="$days" -v now="$(date +%s)" 'BEGIN { printf "%d", now - d * 86400 }')
  touch -h -d "@$when" -- "$@"
}
# wait_port PORT: until something listens on 127.0.0.1:PORT (10 s at most).
wait_port() {
  local _
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on port $1" >&2
  return 1
}
# serve PORT [DIR]: an HTTP server on 127.0.0.1:PORT; its pid in /tmp/port-PORT.pid.
serve() {
  (cd "${2:-/tmp}" && exec python3 -m http.server "$1" --bind 127.0.0.1) </dev/null >/dev/null 2>&1 &
  echo "$!" >"/tmp/port-$1.pid"
  wait_port "$1"
}
_python_binary() { python3 -c 'import os, sys; print(os.path.realpath(sys.executable))'; }
# idle NAME: a sleeping process called NAME. hog NAME MB: one holding MB megabytes. spin NAME: one keeping a CPU busy.
idle() {
  cp "$(command -v sleep)" "/tmp/$1"
  "/tmp/$1" 3600 </dev/null >/dev/null 2>&1 &
  echo "$!" >"/tmp/$1.pid"
}
hog() {
  cp "$(_python_binary)" "/tmp/$1"
  "/tmp/$1" -c "import time; held = bytearray(b'\\x01') * ($2 << 20); open('/tmp/$1.ready', 'w').close(); time.sleep(3600)" \
    </dev/null >/dev/null 2>&1 &
  echo "$!" >"/tmp/$1.pid"
  local _
  for _ in $(seq 100); do
    if [ -e "/tmp/$1.ready" ]; then return 0; fi
    sleep 0.1
  done
  echo "$1 did not start" >&2
  return 1
}
spin() {
  cp "$(_python_binary)" "/tmp/$1"
  "/tmp/$1" -c 'while True: pass' </dev/null >/dev/null 2>&1 &
  echo "$!" >"/tmp/$1.pid"
}
pid_of() { cat "/tmp/$1.pid"; }
# burn_pids N: start N short processes, so what starts next does not get a small pid.
burn_pids() {
  local i
  for ((i = 0; i < $1; i++)); do /bin/true; done
}
# astros_do "request": AstrOS does something first (with --yes), e.g. the change an undo task undoes.
astros_do() {
  [ -n "${TASK_APP_MAIN:-}" ] || { echo "astros_do needs AstrOS (TASK_APP_MAIN)" >&2; return 1; }
  if ! "$TASK_NODE" "$TASK_APP_MAIN" --yes "$1" </dev/null >/tmp/astros_do.log 2>&1; then
    echo "the set-up request failed: $1" >&2
    cat /tmp/astros_do.log >&2
    return 1
  fi
}

# ---------------------------------------------------------------- the answer (stdout and stderr, colours removed)

answer() { _py answer "$@"; }
answered() { [ -n "$(answer | tr -d '[:space:]')" ] || fail "no answer at all"; }
exit_ok() { [ "$ASTROS_EXIT" = 0 ] || fail "exit code $ASTROS_EXIT, expected 0"; }
exit_fail() { [ "$ASTROS_EXIT" != 0 ] || fail "exit code 0, expected a failure (the request was not done)"; }
# says TEXT...: every TEXT is in the answer (case-insensitive); says_any: one of them; never_says: none.
says() { _check says all "$@"; }
says_any() { _check says any "$@"; }
never_says() { _check says none "$@"; }
# says_re REGEX...: the same with (Python, case-insensitive) regular expressions.
says_re() { _check says_re all "$@"; }
says_re_any() { _check says_re any "$@"; }
never_says_re() { _check says_re none "$@"; }
# says_pid PID...: each pid appears as a number of its own.
says_pid() {
  local p
  for p in "$@"; do _check says_re all "(?<![\\d.])$p(?![\\d.])"; done
}
never_says_pid() {
  local p
  for p in "$@"; do _check says_re none "(?<![\\d.])$p(?![\\d.])"; done
}
# lists DIR [--top] [--dirs] NAME...: of the files under DIR before AstrOS ran, the answer names exactly NAME...
lists() { _check lists "$@"; }
# order NAME...: every NAME is named, first mentions in this order. first_mentioned NAME OTHER...: NAME comes first.
order() { _check order "$@"; }
first_mentioned() { _check first_mentioned "$@"; }
# size_said BYTES [TOL%=10]; size_not_said BYTES [TOL%]; size_said_any TOL% BYTES...
size_said() { _check size_said "$@"; }
size_not_said() { _check size_not_said "$@"; }
size_said_any() { _check size_said_any "$@"; }
# number_said N [TOL=0]; number_not_said N [TOL]: a number of its own (not a date, time or path).
number_said() { _check number_said "$@"; }
number_not_said() { _check number_not_said "$@"; }
# percent_said P [TOL=2 points]; duration_said SECONDS [TOL%=10, at least 3 minutes].
percent_said() { _check percent_said "$@"; }
duration_said() { _check duration_said "$@"; }
# says_when [--text FILE] DATE|- [HH:MM]; says_time_near EPOCH [MINUTES=3].
says_when() { _check says_when "$@"; }
says_time_near() { _check says_time_near "$@"; }
# ips_ok: every IPv4 address in the answer is one of this machine's.
ips_ok() { _check ips_ok; }

# ---------------------------------------------------------------- files

exists() {
  local p
  for p in "$@"; do [ -e "$p" ] || [ -L "$p" ] || fail "$p does not exist"; done
}
gone() {
  local p
  for p in "$@"; do if [ -e "$p" ] || [ -L "$p" ]; then fail "$p is still there"; fi; done
}
is_dir() {
  local p
  for p in "$@"; do [ -d "$p" ] && [ ! -L "$p" ] || fail "$p is not a folder"; done
}
is_file() {
  local p
  for p in "$@"; do [ -f "$p" ] && [ ! -L "$p" ] || fail "$p is not a file"; done
}
is_exec() {
  local p
  for p in "$@"; do [ -f "$p" ] && [ -x "$p" ] || fail "$p is not executable"; done
}
# content_is PATH TEXT (one final newline optional); content_has / content_lacks PATH TEXT.
content_is() { is_file "$1" && _check content_is "$1" "$2"; }
content_has() { is_file "$1" && { grep -qF -- "$2" "$1" || fail "$1 does not contain: $2"; }; }
content_lacks() { is_file "$1" && { ! grep -qF -- "$2" "$1" || fail "$1 contains: $2"; }; }
count_files() {
  local n
  n=$(find "$1" -type f | wc -l)
  [ "$n" -eq "$2" ] || fail "$1 holds $n files, expected $2"
}
# unchanged PATH...: as after set-up (a folder: all of it, nothing added or removed).
unchanged() { _check unchanged "$@"; }
# moved FROM TO; copied FROM TO: TO holds what FROM held (by content); FROM is gone / as it was.
moved() { _check moved "$@"; }
copied() { _check copied "$@"; }
# trashed PATH...: gone, and what it held is in ~/.local/share/Trash/files.
trashed() { _check trashed "$@"; }
# holds DIR FILE...: some file under DIR holds what FILE held.
holds() { _check holds "$@"; }
# where FILE ROOT: prints where FILE (its name and content) is under ROOT now.
where() { _py where "$@"; }
# new_file GLOB...: prints the one file AstrOS added that matches.
new_file() { _py new_file "$@"; }
# archive_has ARCHIVE FILE...: the zip or tar holds each FILE (name and content); archive_exactly: and nothing else.
archive_has() { _check archive_has "$@"; }
archive_exactly() { _check archive_exactly "$@"; }
# grouped DIR "a.jpg,b.png" [~REGEX] "c.pdf" [~REGEX]...: each group shares a folder under DIR, groups apart.
grouped() { _check grouped "$@"; }
# no_changes: nothing the snapshot covers changed.
no_changes() { _check no_changes; }

# ---------------------------------------------------------------- processes

_running() { [ -d "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }
alive() {
  local p
  for p in "$@"; do _running "$p" || fail "process $p is not running"; done
}
dead() {
  local p
  for p in "$@"; do if _running "$p"; then fail "process $p is still running"; fi; done
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || fail "nothing listens on port $1"; }
port_closed() { if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then fail "port $1 is still open"; fi; }

# ---------------------------------------------------------------- asking AstrOS again (a new session)

# probe TEXT: AstrOS's answer to TEXT, without the task's ASTROS_* variables.
probe() {
  [ -n "${TASK_APP_MAIN:-}" ] || fail "check error: probe needs AstrOS (not with --reference)"
  local drop=() name
  for name in $(compgen -e); do [[ $name == ASTROS_* ]] && drop+=(-u "$name"); done
  env "${drop[@]}" "$TASK_NODE" "$TASK_APP_MAIN" "$1" </dev/null 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
}
probe_says() {
  local question=$1 said p
  shift
  said=$(probe "$question")
  for p in "$@"; do grep -qiF -- "$p" <<<"$said" || fail "asked \"$question\", the answer does not say: $p"; done
}
probe_never_says() {
  local question=$1 said p
  shift
  said=$(probe "$question")
  for p in "$@"; do if grep -qiF -- "$p" <<<"$said"; then fail "asked \"$question\", the answer says: $p"; fi; done
}
