#!/usr/bin/env python3
"""Writes croniter.json: next fire times computed by croniter (with zoneinfo) that
Tests/CronTests/CroniterFixtureTests.swift compares against Baton's Cron module.

Run: python3 Tests/CronTests/Fixtures/generate_croniter.py   (needs `pip install croniter==7.0.0`)

Cases: 320 seeded random expressions, the seven shortcuts and hand-picked DST expressions, over
Asia/Seoul, America/New_York, Europe/London and UTC, from start instants that include both DST
transitions of 2026 and 2027 in New York and London (a day before, just before, inside the
repeated hour). Expressions where Baton deliberately differs (see Documentation/Cron.md) are not
generated; `differences` records croniter's answer for one example of each, by name.
"""
import json
import random
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import croniter as croniter_module
from croniter import croniter

SEED = 20260308
COUNT = 5
ZONES = ["Asia/Seoul", "America/New_York", "Europe/London", "UTC"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]

# DST transitions (UTC instants) of 2026 and 2027.
TRANSITIONS = {
    "America/New_York": ["2026-03-08T07:00:00", "2026-11-01T06:00:00", "2027-03-14T07:00:00", "2027-11-07T06:00:00"],
    "Europe/London": ["2026-03-29T01:00:00", "2026-10-25T01:00:00", "2027-03-28T01:00:00", "2027-10-31T01:00:00"],
}
GENERIC_STARTS = ["2026-01-15T09:17:00", "2026-06-30T23:59:30", "2027-02-27T12:00:00", "2026-12-31T23:30:00"]
AROUND_TRANSITION = [timedelta(hours=-26), timedelta(hours=-2), timedelta(minutes=-30), timedelta(minutes=30)]

DST_EXPRESSIONS = [
    "30 2 * * *", "0 2 * * *", "*/30 * * * *", "0 * * * *", "15 1-3 * * *", "30 1 * * *",
    "*/20 1 * * *", "* * * * *", "* 2 * * *", "0 1,2,3 * * *", "45 0-3 * 3,10,11 *",
    "0 0-4/2 * * SUN", "59 1 * * *", "0 3 * * *", "30 0 * * *", "0 2 * 3,11 0", "*/7 1-2 * * *",
]
SHORTCUTS = ["@hourly", "@daily", "@midnight", "@weekly", "@monthly", "@yearly", "@annually"]


def utc(text):
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def number_item(rng, low, high, names=None, allow_start_step=True):
    """One list item: N, A-B, A-B/S, */S or N/S (A < B always: croniter treats A-A as '*')."""
    def value(v):
        if names and rng.random() < 0.4:
            return names[v - low] if v - low < len(names) else str(v)
        return str(v)
    kind = rng.choice(["n", "n", "range", "range", "rangestep", "star", "startstep"])
    if kind == "star":
        return "*/" + str(rng.choice([s for s in (2, 3, 4, 5, 6, 10, 15, 20, 30) if s <= high - low]))
    if kind == "startstep" and allow_start_step:
        return f"{rng.randint(low, high)}/{rng.choice([s for s in (2, 3, 5, 7, 10, 15) if s <= high - low])}"
    a = rng.randint(low, high - 1)
    b = rng.randint(a + 1, high)
    if kind == "range":
        return f"{value(a)}-{value(b)}"
    if kind == "rangestep" and b - a >= 2:
        return f"{value(a)}-{value(b)}/{rng.randint(2, max(2, (b - a)))}"
    return value(rng.randint(low, high))


def field(rng, low, high, star_chance, names=None, allow_start_step=True):
    if rng.random() < star_chance:
        return "*"
    items = [number_item(rng, low, high, names, allow_start_step) for _ in range(rng.choice([1, 1, 1, 2, 3]))]
    return ",".join(items)


def random_expression(rng):
    minute = field(rng, 0, 59, 0.15)
    hour = field(rng, 0, 23, 0.3)
    if rng.random() < 0.4:  # bias hours towards the DST window
        hour = rng.choice(["1", "2", "1-3", "0-4", "2,3", "1/2", "*/2"])
    dom = field(rng, 1, 31, 0.6)
    month = field(rng, 1, 12, 0.65, MONTHS)
    dow = field(rng, 0, 6, 0.6, DAYS, allow_start_step=False)
    if rng.random() < 0.08:
        dow = rng.choice(["7", "5-7", "SAT-SUN", "MON-FRI", "mon,wed,fri", "0-7", "1-7/3"])
    expression = " ".join([minute, hour, dom, month, dow])
    return expression


def vixie_star_difference(expression):
    """Baton follows Vixie cron: a day field starting with '*' (like */2) is unrestricted, so
    both day fields must match; croniter ORs them whenever neither field is exactly '*'."""
    parts = expression.split()
    if len(parts) != 5:
        return False
    dom, dow = parts[2], parts[4]
    return dom != "*" and dow != "*" and (dom.startswith("*") or dow.startswith("*"))


def next_times(expression, start, zone):
    it = croniter(expression, start.astimezone(ZoneInfo(zone)))
    return [it.get_next(datetime).isoformat() for _ in range(COUNT)]


def starts_for(rng, zone):
    if zone in TRANSITIONS:
        pool = [utc(t) + d for t in TRANSITIONS[zone] for d in AROUND_TRANSITION]
        return rng.sample(pool, 2) + [utc(rng.choice(GENERIC_STARTS))]
    return [utc(s) for s in rng.sample(GENERIC_STARTS, 3)]


def main():
    rng = random.Random(SEED)
    cases = []
    expressions = []
    seen = set()
    while len(expressions) < 320:
        expression = random_expression(rng)
        if expression in seen or vixie_star_difference(expression):
            continue
        try:
            next_times(expression, utc(GENERIC_STARTS[0]), "UTC")
        except Exception:  # never fires (e.g. 30 2), skip
            continue
        seen.add(expression)
        expressions.append(expression)
    for expression in expressions + SHORTCUTS:
        for zone in ZONES:
            for start in starts_for(rng, zone):
                local = start.astimezone(ZoneInfo(zone))
                cases.append({"expr": expression, "zone": zone, "from": local.isoformat(),
                              "next": next_times(expression, start, zone)})
    for expression in DST_EXPRESSIONS:
        for zone, transitions in TRANSITIONS.items():
            for transition in transitions:
                for delta in AROUND_TRANSITION:
                    start = utc(transition) + delta
                    cases.append({"expr": expression, "zone": zone,
                                  "from": start.astimezone(ZoneInfo(zone)).isoformat(),
                                  "next": next_times(expression, start, zone)})
    example_start = utc("2026-01-01T00:00:00")
    differences = [
        {"name": "vixie-star-step", "expr": "0 0 */2 * 1", "zone": "UTC", "from": example_start.isoformat(),
         "croniter": next_times("0 0 */2 * 1", example_start, "UTC")},
    ]
    out = {
        "generator": "Tests/CronTests/Fixtures/generate_croniter.py",
        "croniter": getattr(croniter_module, "__version__", None) or version("croniter"),
        "python": sys.version.split()[0],
        "count": len(cases),
        "cases": cases,
        "differences": differences,
    }
    path = Path(__file__).with_name("croniter.json")
    # One case per line, so a regenerated fixture diffs readably.
    lines = [json.dumps(case, ensure_ascii=False, separators=(",", ":")) for case in cases]
    head = {key: value for key, value in out.items() if key not in ("cases", "differences")}
    text = json.dumps(head, ensure_ascii=False)[:-1]
    text += ',\n"differences":' + json.dumps(differences, ensure_ascii=False, separators=(",", ":"))
    text += ',\n"cases":[\n' + ",\n".join(lines) + "\n]}\n"
    path.write_text(text)
    print(f"wrote {len(cases)} cases ({len(expressions)} generated expressions) to {path}")


def version(package):
    from importlib.metadata import version as metadata_version
    return metadata_version(package)


if __name__ == "__main__":
    main()
