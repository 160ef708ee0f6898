"""Checks of the files in a task's HOME against the snapshot taken after set-up (scripts/tasks/snapshot.mjs keeps
the same record for each path: type f/d/l/o, mode, and for files size and sha256)."""
import fnmatch
import hashlib
import json
import os
import re
import stat
import tarfile
import zipfile

HOME = os.environ.get("HOME") or os.getcwd()
fail = None


def use(report_failure):
    global fail
    fail = report_failure


def absolute(path):
    return path if os.path.isabs(path) else os.path.join(HOME, path)


def relative(path):
    return os.path.relpath(absolute(path), HOME)


def _snapshot_file():
    file = os.environ.get("ASTROS_SNAPSHOT_FILE")
    if not file:
        fail("check error: no snapshot (ASTROS_SNAPSHOT_FILE is not set)")
    with open(file) as handle:
        return json.load(handle)


def snapshot_entries():
    return _snapshot_file()["entries"]


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def describe(path):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    mode = stat.S_IMODE(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        return {"type": "l", "target": os.readlink(path), "mode": mode}
    if stat.S_ISDIR(info.st_mode):
        return {"type": "d", "mode": mode}
    if stat.S_ISREG(info.st_mode):
        try:
            digest = sha256_of(path)
        except OSError:
            digest = "unreadable"
        return {"type": "f", "size": info.st_size, "sha256": digest, "mode": mode}
    return {"type": "o", "mode": mode}


def was_file(path):
    """The snapshot's record of a path that was a file after set-up."""
    record = snapshot_entries().get(relative(path))
    if record is None or record["type"] != "f":
        fail(f"check error: {relative(path)} was not a file after set-up")
    return record


def old_sha(path):
    """What a file held after set-up; a path outside HOME is taken as it is now."""
    if os.path.isabs(path) and not path.startswith(HOME + "/"):
        return sha256_of(path)
    return was_file(path)["sha256"]


def files_under(root):
    for folder, _subfolders, names in os.walk(absolute(root)):
        for name in names:
            path = os.path.join(folder, name)
            if os.path.isfile(path) and not os.path.islink(path):
                yield path


# ---------------------------------------------------------------- checks

def content_is(path, text):
    with open(absolute(path), "rb") as handle:
        held = handle.read().decode("utf-8", "replace")
    if held not in (text, text + "\n"):
        fail(f"{path} holds {held[:200]!r}, expected {text!r}")


def unchanged(*paths):
    snap = _snapshot_file()
    entries, skipped = snap["entries"], set(snap.get("excluded", []))
    for path in paths:
        key = relative(path)
        if key not in entries:
            fail(f"check error: {key} was not there after set-up")
        now = describe(absolute(path))
        if now is None:
            fail(f"{key} is gone")
        if now != entries[key]:
            fail(f"{key} changed")
        if now["type"] != "d":
            continue
        inside = {p: r for p, r in entries.items() if p != "." and (key == "." or p.startswith(key + "/"))}
        for inner, record in inside.items():
            if describe(absolute(inner)) != record:
                fail(f"{inner} changed or is gone")
        for folder, subfolders, names in os.walk(absolute(path)):
            subfolders[:] = [s for s in subfolders if relative(os.path.join(folder, s)) not in skipped]
            for name in subfolders + names:
                inner = relative(os.path.join(folder, name))
                if inner not in entries:
                    fail(f"{inner} was added in {key}")


def _holds_same(target, digest, source):
    now = describe(absolute(target))
    if now is None:
        fail(f"{relative(target)} does not exist")
    if now.get("sha256") != digest:
        fail(f"{relative(target)} does not hold what {relative(source)} held")


def moved(source, target):
    record = was_file(source)
    if os.path.lexists(absolute(source)):
        fail(f"{relative(source)} is still there")
    _holds_same(target, record["sha256"], source)


def copied(source, target):
    record = was_file(source)
    if describe(absolute(source)) != record:
        fail(f"{relative(source)} changed or is gone")
    _holds_same(target, record["sha256"], source)


def trashed(*paths):
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(HOME, ".local/share")
    in_trash = {sha256_of(p) for p in files_under(os.path.join(data, "Trash", "files"))}
    for path in paths:
        record = was_file(path)
        if os.path.lexists(absolute(path)):
            fail(f"{relative(path)} is still there")
        if record["sha256"] not in in_trash:
            fail(f"{relative(path)} is not in the trash (~/.local/share/Trash/files)")


def holds(folder, *paths):
    present = {sha256_of(p) for p in files_under(folder)}
    for path in paths:
        if old_sha(path) not in present:
            fail(f"nothing under {relative(folder)} holds what {path} held")


def where(source, root):
    digest, name = was_file(source)["sha256"], os.path.basename(source)
    hits = [relative(p) for p in files_under(root) if os.path.basename(p) == name and sha256_of(p) == digest]
    if len(hits) != 1:
        fail(f"{len(hits)} files named {name} with its content under {relative(root)}")
    print(hits[0])


def new_file(*globs):
    with open(os.environ["ASTROS_CHANGES_FILE"]) as handle:
        changes = json.load(handle)
    before = snapshot_entries()
    hits = [c["path"] for c in changes
            if c["change"] != "removed" and c["path"] not in before and os.path.isfile(absolute(c["path"]))
            and any(fnmatch.fnmatch(c["path"], g) for g in globs)]
    if len(hits) != 1:
        fail(f"{len(hits)} new files match {list(globs)}: {hits[:5]}")
    print(hits[0])


def archive_members(path):
    """name -> sha256 of each file in a zip or a (compressed) tar."""
    members = {}
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    members[info.filename] = hashlib.sha256(archive.read(info)).hexdigest()
        return members
    try:
        with tarfile.open(path) as archive:
            for info in archive.getmembers():
                if info.isfile():
                    members[info.name] = hashlib.sha256(archive.extractfile(info).read()).hexdigest()
    except tarfile.TarError:
        fail(f"{relative(path)} is not a zip or tar archive")
    return members


def archive_has(archive, *paths, exactly=False):
    if not os.path.isfile(absolute(archive)):
        fail(f"{relative(archive)} does not exist")
    members = archive_members(absolute(archive))
    for path in paths:
        digest, name = old_sha(path), os.path.basename(path)
        if not any(os.path.basename(m) == name and d == digest for m, d in members.items()):
            fail(f"{relative(archive)} does not hold {name} (it holds: {sorted(members)[:10]})")
    if exactly and len(members) != len(paths):
        fail(f"{relative(archive)} holds {len(members)} files, expected {len(paths)}: {sorted(members)[:10]}")


def archive_exactly(archive, *paths):
    archive_has(archive, *paths, exactly=True)


def grouped(folder, *args):
    """Each group ("a.jpg,b.png", paths relative to folder as they were) now lies together in one folder under
    folder (not folder itself) with its old content; groups do not share a folder; a ~REGEX after a group must
    match that group's folder (relative to folder, case-insensitive)."""
    base = relative(folder)
    groups = []
    for arg in args:
        if arg.startswith("~") and groups:
            groups[-1][1] = arg[1:]
        else:
            groups.append([[g.strip() for g in arg.split(",") if g.strip()], None])
    located = {}
    for path in files_under(base):
        key = (os.path.basename(path), sha256_of(path))
        located.setdefault(key, []).append(os.path.relpath(os.path.dirname(path), absolute(base)))
    places = []
    for members, pattern in groups:
        here = set()
        for member in members:
            record = snapshot_entries().get(os.path.normpath(os.path.join(base, member)))
            if record is None:
                fail(f"check error: {base}/{member} was not there after set-up")
            spots = located.get((os.path.basename(member), record.get("sha256")), [])
            if len(spots) != 1:
                fail(f"{member}: {len(spots)} copies under {base} ({spots})")
            if spots[0] == ".":
                fail(f"{member} was not put in a folder")
            here.add(spots[0])
        if len(here) != 1:
            fail(f"{', '.join(members)} are not in one folder: {sorted(here)}")
        place = here.pop()
        if pattern and not re.search(pattern, place, re.I):
            fail(f"{', '.join(members)} went to {place}, which does not match /{pattern}/")
        places.append(place)
    if len(set(places)) != len(places):
        fail(f"different groups share a folder: {places}")


CHECKS = {
    "content_is": content_is,
    "unchanged": unchanged,
    "moved": moved,
    "copied": copied,
    "trashed": trashed,
    "holds": holds,
    "where": where,
    "new_file": new_file,
    "archive_has": archive_has,
    "archive_exactly": archive_exactly,
    "grouped": grouped,
}
