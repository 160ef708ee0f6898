#!/usr/bin/env python3
"""The checks behind lib.sh that are easier in Python: `checklib.py NAME ARG...`.

Each check exits 0 when it holds and 1 with one "FAIL: why" line on stderr when it does not. The answer is
AstrOS's stdout and stderr in the order written (ASTROS_OUTPUT_FILE), colour codes removed, NFC-normalised.
Files are compared with the snapshot taken after set-up (ASTROS_SNAPSHOT_FILE); paths are relative to HOME.
"""
import json
import os
import re
import sys
import unicodedata

import task_answer_numbers
import task_files

COLOUR = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]")


class CheckFailed(Exception):
    pass


def fail(message):
    raise CheckFailed(message)


def answer_text(stream="output"):
    variable = {"output": "ASTROS_OUTPUT_FILE", "stdout": "ASTROS_STDOUT_FILE", "stderr": "ASTROS_STDERR_FILE"}[stream]
    file = os.environ.get(variable)
    if not file or not os.path.exists(file):
        return ""
    with open(file, "rb") as handle:
        raw = handle.read().decode("utf-8", "replace")
    return unicodedata.normalize("NFC", COLOUR.sub("", raw))


def whole_name(name):
    """A name as a whole name: not part of a longer file or folder name."""
    return re.compile(r"(?<![\w.\-])" + re.escape(name) + r"(?![\w\-])(?!\.\w)")


def first_position(text, name):
    found = whole_name(name).search(text)
    return None if found is None else found.start()


def judge(mode, patterns, hit):
    """mode all / any / none over the patterns that hit."""
    hits = [p for p in patterns if hit(p)]
    if mode == "all" and len(hits) < len(patterns):
        fail("the answer does not say: " + " | ".join(p for p in patterns if p not in hits))
    if mode == "any" and not hits:
        fail("the answer says none of: " + " | ".join(patterns))
    if mode == "none" and hits:
        fail("the answer says: " + " | ".join(hits))


def says(mode, *patterns):
    text = answer_text().casefold()
    judge(mode, patterns, lambda p: unicodedata.normalize("NFC", p).casefold() in text)


def says_re(mode, *patterns):
    text = answer_text()
    judge(mode, patterns, lambda p: re.search(unicodedata.normalize("NFC", p), text, re.I | re.M) is not None)


def lists(*args):
    """lists DIR [--top] [--dirs] NAME...: among the files (with --dirs, folders too) under DIR in the snapshot
    (--top: directly in DIR), the answer names every NAME and no other. A NAME is a path relative to DIR; files
    are named by their base name unless two share it, then by their path."""
    flags = {a for a in args if a in ("--top", "--dirs")}
    rest = [a for a in args if a not in flags]
    base, wanted = task_files.relative(rest[0]), set(rest[1:])
    prefix = "" if base == "." else base + "/"
    candidates = {}
    for path, record in task_files.snapshot_entries().items():
        if path == "." or not path.startswith(prefix):
            continue
        inner = path[len(prefix):]
        if "--top" in flags and "/" in inner:
            continue
        if record["type"] == "f" or ("--dirs" in flags and record["type"] == "d"):
            candidates[inner] = record
    for inner in wanted:
        if inner not in candidates:
            fail(f"check error: {inner} is not under {base} in the snapshot")
    text = answer_text()
    base_names = [os.path.basename(c) for c in candidates]
    problems = []
    for inner in sorted(candidates):
        label = inner if base_names.count(os.path.basename(inner)) > 1 else os.path.basename(inner)
        named = first_position(text, label) is not None
        if inner in wanted and not named:
            problems.append(f"missing {inner}")
        elif inner not in wanted and named:
            problems.append(f"lists {inner}, which does not match")
    if problems:
        fail("; ".join(problems))


def order(*names):
    text = answer_text()
    positions = []
    for name in names:
        at = first_position(text, name)
        if at is None:
            fail(f"{name} is not mentioned")
        positions.append(at)
    if positions != sorted(positions):
        fail("not in the order " + ", ".join(names))


def first_mentioned(*names):
    text = answer_text()
    seen = sorted((at, name) for name in names if (at := first_position(text, name)) is not None)
    if not seen:
        fail(f"none of {list(names)} is mentioned")
    if seen[0][1] != names[0]:
        fail(f"{seen[0][1]} comes first, expected {names[0]}")


def answer(stream="output"):
    sys.stdout.write(answer_text(stream))


def no_changes():
    with open(os.environ["ASTROS_CHANGES_FILE"]) as handle:
        changes = json.load(handle)
    if changes:
        fail("changed: " + ", ".join(c["path"] for c in changes[:10]))


CHECKS = {
    "answer": answer,
    "says": says,
    "says_re": says_re,
    "lists": lists,
    "order": order,
    "first_mentioned": first_mentioned,
    "no_changes": no_changes,
}


def main(argv):
    task_answer_numbers.use(answer_text, fail)
    task_files.use(fail)
    checks = {**CHECKS, **task_answer_numbers.CHECKS, **task_files.CHECKS}
    if len(argv) < 2 or argv[1] not in checks:
        sys.stderr.write("usage: checklib.py " + " | ".join(sorted(checks)) + " ARG...\n")
        return 2
    try:
        checks[argv[1]](*argv[2:])
    except CheckFailed as failure:
        sys.stderr.write(f"FAIL: {failure}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
