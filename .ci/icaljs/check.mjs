// check.mjs parses an iCalendar feed with Mozilla's ical.js (the parser behind Thunderbird)
// and checks it the way a subscribing client would read it.
//
//   node check.mjs FEED.ics [EXPECTED.counts.json]
//
// Without the second argument, FEED.counts.json next to FEED.ics is used when it exists;
// otherwise the feed is only parsed and its occurrences are printed.
//
// It fails (exit 1) when the feed does not parse, when a TZID has no VTIMEZONE in the feed,
// when a DATE-TIME is floating (neither UTC nor TZID), or when the occurrences in the expected
// file's window differ from the expected counts (and, where listed, the UTC starts). The
// expected file looks like:
//
//   {"window": {"from": "2026-09-01T00:00:00Z", "to": "2027-01-01T00:00:00Z"},
//    "vevents": 9,
//    "occurrences": {"uid@docket": 7, ...},
//    "starts": {"uid@docket": ["2026-10-06T17:00:00Z", ...], "all-day@docket": ["2026-12-01"]}}
//
// Occurrences are counted like Docket's JSON calendar: an occurrence counts when it overlaps
// [from, to), a zero-length one when it starts inside; moved occurrences (RECURRENCE-ID)
// count where they moved to; EXDATEs do not count.

import { existsSync, readFileSync } from "node:fs";
import ICAL from "ical.js";

// Bounds every expansion: a feed must never make a client iterate without end.
const MAX_ITERATIONS = 10000;

const icalVersion = JSON.parse(
  readFileSync(new URL("./node_modules/ical.js/package.json", import.meta.url), "utf8"),
).version;

function usage() {
  console.error("usage: node check.mjs FEED.ics [EXPECTED.counts.json]");
  process.exit(2);
}

const [icsPath, countsArg] = process.argv.slice(2);
if (!icsPath) {
  usage();
}
const defaultCounts = icsPath.replace(/\.ics$/, "") + ".counts.json";
const countsPath = countsArg ?? (existsSync(defaultCounts) ? defaultCounts : null);

const problems = [];

let root;
try {
  root = new ICAL.Component(ICAL.parse(readFileSync(icsPath, "utf8")));
} catch (err) {
  console.error(`${icsPath}: ical.js cannot parse it: ${err.message}`);
  process.exit(1);
}
if (root.name !== "vcalendar") {
  console.error(`${icsPath}: top-level component is ${root.name}, want vcalendar`);
  process.exit(1);
}

// Every VTIMEZONE must be one ical.js can use.
for (const vtz of root.getAllSubcomponents("vtimezone")) {
  const tzid = vtz.getFirstPropertyValue("tzid");
  try {
    const zone = new ICAL.Timezone(vtz);
    zone.utcOffset(ICAL.Time.fromDateTimeString("2026-01-15T12:00:00"));
  } catch (err) {
    problems.push(`VTIMEZONE ${tzid}: ${err.message}`);
  }
}

const vevents = root.getAllSubcomponents("vevent");
const DATE_PROPS = ["dtstart", "dtend", "exdate", "recurrence-id"];
for (const ev of vevents) {
  const uid = ev.getFirstPropertyValue("uid");
  for (const name of DATE_PROPS) {
    for (const prop of ev.getAllProperties(name)) {
      const tzid = prop.getParameter("tzid");
      if (tzid && !root.getTimeZoneByID(tzid)) {
        problems.push(`${uid}: ${name.toUpperCase()} uses TZID ${tzid} with no VTIMEZONE`);
      }
      for (const value of prop.getValues()) {
        if (!value.isDate && !tzid && value.zone !== ICAL.Timezone.utcTimezone) {
          problems.push(`${uid}: ${name.toUpperCase()} ${value} is a floating time`);
        }
      }
    }
  }
}

const expected = countsPath ? JSON.parse(readFileSync(countsPath, "utf8")) : null;
const window = expected?.window ?? { from: "1970-01-01T00:00:00Z", to: "2100-01-01T00:00:00Z" };
const from = Date.parse(window.from) / 1000;
const to = Date.parse(window.to) / 1000;
// Overrides may move an occurrence in from outside the window; look a year beyond it.
const iterateUntil = to + 366 * 24 * 3600;

function overlaps(start, end) {
  const s = start.toUnixTime();
  const e = end ? end.toUnixTime() : s;
  if (e <= s) {
    return s >= from && s < to;
  }
  return s < to && e > from;
}

function label(time) {
  return time.isDate ? time.toString() : time.convertToZone(ICAL.Timezone.utcTimezone).toString();
}

const found = new Map(); // uid -> starts of the occurrences in the window
function record(uid, start) {
  if (!found.has(uid)) {
    found.set(uid, []);
  }
  found.get(uid).push(label(start));
}

const byUid = new Map();
for (const comp of vevents) {
  const uid = comp.getFirstPropertyValue("uid");
  if (!byUid.has(uid)) {
    byUid.set(uid, { masters: [], exceptions: [] });
  }
  const group = byUid.get(uid);
  (comp.hasProperty("recurrence-id") ? group.exceptions : group.masters).push(comp);
}

for (const [uid, { masters, exceptions }] of byUid) {
  if (masters.length > 1) {
    problems.push(`${uid}: ${masters.length} VEVENTs without RECURRENCE-ID share the UID`);
  }
  if (masters.length === 0) {
    // Overrides without their series: clients show them as single events.
    for (const comp of exceptions) {
      const ev = new ICAL.Event(comp);
      if (overlaps(ev.startDate, ev.endDate)) {
        record(uid, ev.startDate);
      }
    }
    continue;
  }
  // Relate the overrides explicitly: left to itself, ical.js relates every RECURRENCE-ID
  // in the calendar to every series, whatever its UID.
  const event = new ICAL.Event(masters[0], { strictExceptions: true, exceptions });
  if (!event.isRecurring()) {
    if (overlaps(event.startDate, event.endDate)) {
      record(uid, event.startDate);
    }
    continue;
  }
  const it = event.iterator();
  let next;
  let iterations = 0;
  while ((next = it.next())) {
    if (++iterations > MAX_ITERATIONS) {
      problems.push(`${uid}: more than ${MAX_ITERATIONS} occurrences before ${new Date(iterateUntil * 1000).toISOString()}`);
      break;
    }
    if (next.toUnixTime() >= iterateUntil) {
      break;
    }
    const details = event.getOccurrenceDetails(next);
    if (overlaps(details.startDate, details.endDate)) {
      record(uid, details.startDate);
    }
  }
}

const summary = {
  window,
  vevents: vevents.length,
  occurrences: Object.fromEntries([...found].sort().map(([uid, starts]) => [uid, starts.length])),
  starts: Object.fromEntries([...found].sort().map(([uid, starts]) => [uid, [...starts].sort()])),
};

if (expected) {
  if (expected.vevents !== undefined && expected.vevents !== vevents.length) {
    problems.push(`VEVENTs: got ${vevents.length}, want ${expected.vevents}`);
  }
  const uids = new Set([...Object.keys(expected.occurrences ?? {}), ...found.keys()]);
  for (const uid of [...uids].sort()) {
    const got = found.get(uid)?.length ?? 0;
    const want = expected.occurrences?.[uid] ?? 0;
    if (got !== want) {
      problems.push(`${uid}: ${got} occurrences in the window, want ${want}`);
    }
  }
  for (const [uid, want] of Object.entries(expected.starts ?? {})) {
    const got = [...(found.get(uid) ?? [])].sort();
    const sortedWant = [...want].sort();
    if (JSON.stringify(got) !== JSON.stringify(sortedWant)) {
      problems.push(`${uid}: starts ${JSON.stringify(got)}, want ${JSON.stringify(sortedWant)}`);
    }
  }
}

if (problems.length > 0) {
  for (const p of problems) {
    console.error(`${icsPath}: ${p}`);
  }
  process.exit(1);
}
const total = [...found.values()].reduce((n, starts) => n + starts.length, 0);
console.log(`${icsPath}: ok (ical.js ${icalVersion}): ${vevents.length} VEVENTs, ${total} occurrences in [${window.from}, ${window.to})` +
  (expected ? ` match ${countsPath}` : ""));
if (!expected) {
  console.log(JSON.stringify(summary, null, 2));
}
