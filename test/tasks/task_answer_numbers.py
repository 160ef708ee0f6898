"""Checks of the quantities an answer gives: sizes, counts, percentages, durations, dates and times, addresses."""
import datetime
import re
import subprocess

answer_text = None
fail = None


def use(read_answer, report_failure):
    global answer_text, fail
    answer_text, fail = read_answer, report_failure


# ---------------------------------------------------------------- sizes

DECIMAL_AND_BINARY = {"k": (1e3, 1024), "m": (1e6, 1024**2), "g": (1e9, 1024**3), "t": (1e12, 1024**4)}
WORDS = {"kilobyte": "k", "megabyte": "m", "gigabyte": "g", "terabyte": "t"}
SIZE = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(bytes?|(?:kilo|mega|giga|tera)bytes?|[kmgt]i?b?|b)\b", re.I)


def unit_factors(unit):
    unit = unit.lower()
    if unit in ("b", "byte", "bytes"):
        return (1,)
    for word, letter in WORDS.items():
        if unit.startswith(word):
            return DECIMAL_AND_BINARY[letter]
    letter = unit[0]
    if "i" in unit:  # KiB, Mi
        return (DECIMAL_AND_BINARY[letter][1],)
    return DECIMAL_AND_BINARY[letter]


def sizes_in(text):
    sizes = []
    for number, unit in SIZE.findall(text):
        value = float(number.replace(",", ""))
        sizes.extend(value * factor for factor in unit_factors(unit))
    return sizes


def near(value, target, percent):
    return abs(value - target) <= target * percent / 100


def size_said(*args):
    if "--none" in args:  # size_said BYTES [TOL] --none: the same as size_not_said
        return size_not_said(*[a for a in args if a != "--none"])
    target, percent = args[0], args[1] if len(args) > 1 else "10"
    seen = sizes_in(answer_text())
    if not any(near(s, float(target), float(percent)) for s in seen):
        fail(f"no size within {percent}% of {int(float(target))} bytes (sizes seen: {[int(s) for s in seen][:12]})")


def size_not_said(target, percent="10"):
    if any(near(s, float(target), float(percent)) for s in sizes_in(answer_text())):
        fail(f"the answer gives a size near {int(float(target))} bytes")


def size_said_any(percent, *targets):
    seen = sizes_in(answer_text())
    if not any(near(s, float(t), float(percent)) for s in seen for t in targets):
        fail(f"no size within {percent}% of any of {list(targets)} (sizes seen: {[int(s) for s in seen][:12]})")


# ---------------------------------------------------------------- counts and percentages

def plain_numbers(text):
    """Numbers of their own, leaving out ISO dates and times and anything inside a path."""
    text = re.sub(r"\d{4}-\d\d-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?)?", " ", text)
    text = re.sub(r"\S*/\S*", " ", text)
    return [float(n.replace(",", "")) for n in re.findall(r"(?<![\w.])(\d[\d,]*(?:\.\d+)?)(?!\w)", text)]


def number_said(*args):
    if "--none" in args:  # number_said N [TOL] --none: the same as number_not_said
        return number_not_said(*[a for a in args if a != "--none"])
    target, tolerance = args[0], args[1] if len(args) > 1 else "0"
    if not any(abs(n - float(target)) <= float(tolerance) for n in plain_numbers(answer_text())):
        fail(f"the answer does not give {target}")


def number_not_said(target, tolerance="0"):
    if any(abs(n - float(target)) <= float(tolerance) for n in plain_numbers(answer_text())):
        fail(f"the answer gives {target}")


def percent_said(target, points="2"):
    seen = [float(n) for n in re.findall(r"(\d+(?:\.\d+)?)\s*%", answer_text())]
    if not any(abs(v - float(target)) <= float(points) for v in seen):
        fail(f"no percentage near {target} (seen: {seen[:10]})")


# ---------------------------------------------------------------- durations

UNIT_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}
DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m|seconds?|secs?|s)\b", re.I)


def durations_in(line):
    """Runs of adjacent amounts ("2 days, 3 h 4 min") summed, and h:mm clock-style durations."""
    found, total, last_end = [], 0.0, None
    for match in DURATION.finditer(line):
        unit = match.group(2).lower()
        letter = "m" if unit == "m" or unit.startswith("min") else unit[0]
        if last_end is not None and match.start() - last_end > 12:
            found.append(total)
            total = 0.0
        total += float(match.group(1)) * UNIT_SECONDS[letter]
        last_end = match.end()
    if last_end is not None:
        found.append(total)
    found.extend(int(h) * 3600 + int(m) * 60 for h, m in re.findall(r"\b(\d+):(\d\d)\b(?!:)", line))
    return found


def duration_said(target, percent="10"):
    target = float(target)
    slack = max(target * float(percent) / 100, 180)
    seen = [d for line in answer_text().splitlines() for d in durations_in(line)]
    if not any(abs(d - target) <= slack for d in seen):
        fail(f"no duration near {int(target)} s (seen: {[int(d) for d in seen][:8]})")


# ---------------------------------------------------------------- dates and times

MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december"]


def spellings_of_date(day):
    date = datetime.date.fromisoformat(day)
    d, long_name = date.day, MONTHS[date.month - 1]
    forms = [date.isoformat(), date.strftime("%d/%m/%Y"), date.strftime("%m/%d/%Y"), f"{date.month}/{d}"]
    for month in (long_name, long_name[:3]):
        forms += [f"{month} {d}", f"{month} {d:02d}", f"{d} {month}", f"{d:02d} {month}", f"{month}. {d}"]
        for ordinal in ("st", "nd", "rd", "th"):
            forms += [f"{month} {d}{ordinal}", f"{d}{ordinal} {month}", f"{d}{ordinal} of {month}"]
    today = datetime.date.today()
    if date == today:
        forms.append("today")
    if date == today + datetime.timedelta(days=1):
        forms.append("tomorrow")
    return forms


def spellings_of_time(hhmm):
    hour, minute = (int(part) for part in hhmm.split(":"))
    twelve, half = hour % 12 or 12, "am" if hour < 12 else "pm"
    forms = [f"{hour:02d}:{minute:02d}", f"{hour}:{minute:02d}", f"{twelve}:{minute:02d} {half}",
             f"{twelve}:{minute:02d}{half}", f"{twelve}:{minute:02d} {half[0]}.{half[1]}."]
    if minute == 0:
        forms += [f"{twelve} {half}", f"{twelve}{half}", f"{twelve} o'clock"]
        forms += ["noon"] if hour == 12 else ["midnight"] if hour == 0 else []
    return forms


def says_when(*args):
    text = answer_text().lower()
    if args and args[0] == "--text":
        with open(args[1]) as handle:
            text = handle.read().lower()
        args = args[2:]
    day = args[0]
    if day != "-" and not any(re.search(r"(?<![\w/])" + re.escape(f) + r"(?![\w/])", text) for f in spellings_of_date(day)):
        fail(f"the answer does not give the date {day}")
    if len(args) > 1 and not any(re.search(r"(?<![\w:])" + re.escape(f) + r"(?![\w:])", text)
                                 for f in spellings_of_time(args[1])):
        fail(f"the answer does not give the time {args[1]}")


def says_time_near(epoch, minutes="3"):
    target = datetime.datetime.fromtimestamp(float(epoch))
    seen = []
    clock = re.compile(r"(?<![\d:])(\d{1,2}):(\d\d)(?::\d\d)?\s*(am|pm|a\.m\.|p\.m\.)?")
    for hour, minute, half in clock.findall(answer_text().lower()):
        hour = int(hour) % 12 + (12 if half.startswith("p") else 0) if half else int(hour)
        if hour > 23 or int(minute) > 59:
            continue
        seen.append(f"{hour:02d}:{minute}")
        moment = target.replace(hour=hour, minute=int(minute), second=0, microsecond=0)
        for shift in (-1, 0, 1):
            if abs((moment + datetime.timedelta(days=shift) - target).total_seconds()) <= float(minutes) * 60:
                return
    fail(f"no time near {target:%H:%M} in the answer (seen: {seen[:8]})")


# ---------------------------------------------------------------- addresses

def ips_ok():
    listing = subprocess.run(["ip", "-4", "addr"], capture_output=True, text=True).stdout
    own = set(re.findall(r"inet (\d+\.\d+\.\d+\.\d+)", listing)) | {"127.0.0.1"}
    said = set(re.findall(r"(?<![\d.])(\d{1,3}(?:\.\d{1,3}){3})(?![\d.])", answer_text()))
    foreign = sorted(said - own)
    if foreign:
        fail(f"addresses this machine does not have: {foreign}")


CHECKS = {
    "size_said": size_said,
    "size_not_said": size_not_said,
    "size_said_any": size_said_any,
    "number_said": number_said,
    "number_not_said": number_not_said,
    "percent_said": percent_said,
    "duration_said": duration_said,
    "says_when": says_when,
    "says_time_near": says_time_near,
    "ips_ok": ips_ok,
}
