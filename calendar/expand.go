package calendar

import (
	"cmp"
	"slices"
	"time"
)

// Expand returns the entries that overlap [from, to) as the JSON calendar shows them: each
// series becomes one entry per occurrence, carrying the series UID and its original start as
// RecurrenceID, with cancelled occurrences (ExDates) left out and moved ones replaced by their
// override entries. Expansion is capped by ParseRecurrence's limits, so a rule without end
// never hangs. Expand shows what it can of data RenderFeed would refuse: a series whose rule
// does not parse is kept as its first occurrence only, and an unknown zone reads as UTC.
// The result is sorted by start, UID and RecurrenceID.
func Expand(entries []Entry, from, to time.Time) []Entry {
	if !to.After(from) {
		return nil
	}
	// Overrides replace the occurrence they move, wherever it moved to.
	moved := map[string][]time.Time{}
	for _, e := range entries {
		if !e.RecurrenceID.IsZero() {
			moved[e.UID] = append(moved[e.UID], e.RecurrenceID)
		}
	}
	var out []Entry
	for _, e := range entries {
		z, err := loadZone(e.TimeZone)
		if err != nil {
			z = zone{name: "UTC", loc: time.UTC, utc: true}
		}
		if e.RRule != "" && e.RecurrenceID.IsZero() && !e.Start.IsZero() {
			if s, err := parseSeries(e, z); err == nil {
				out = append(out, expandSeries(e, s, z, from, to, moved[e.UID])...)
				continue
			}
		}
		if start, end := entrySpan(e, z.loc); overlaps(start, end, from, to) {
			out = append(out, e)
		}
	}
	sortEntries(out)
	return out
}

// expandSeries returns the occurrences of the series e that overlap [from, to), except those
// in e.ExDates and those whose original start is in moved (they have an override).
func expandSeries(e Entry, s series, z zone, from, to time.Time, moved []time.Time) []Entry {
	allDay := e.Start.AllDay()
	start, end := entrySpan(e, z.loc)
	length := end.Sub(start)
	days := 0
	if allDay {
		days = e.Start.Date.DaysUntil(allDayEnd(e))
	}
	excluded := map[int64]bool{}
	for _, x := range slices.Concat(e.ExDates, moved) {
		excluded[occurrenceKey(x, allDay)] = true
	}
	// An occurrence that starts before from may still run into the window; an all-day one is
	// expanded at midnight UTC, so allow the widest zone offsets either side.
	lo, hi := from.Add(-length), to
	if allDay {
		lo, hi = lo.Add(-26*time.Hour), hi.Add(26*time.Hour)
	}
	var out []Entry
	for _, t := range s.rec.Between(lo, hi) {
		if excluded[occurrenceKey(t, allDay)] {
			continue
		}
		occ := e
		occ.RRule, occ.ExDates = "", nil
		occ.Parties = slices.Clone(e.Parties)
		if allDay {
			d := DateOf(t)
			occ.Start, occ.End = When{Date: d}, When{Date: d.AddDays(days)}
			occ.RecurrenceID = d.Midnight(z.loc)
		} else {
			occ.Start = When{Date: DateOf(t), Time: t}
			if !e.End.IsZero() {
				occ.End = When{Date: DateOf(t.Add(length)), Time: t.Add(length)}
			}
			occ.RecurrenceID = t
		}
		if os, oe := entrySpan(occ, z.loc); overlaps(os, oe, from, to) {
			out = append(out, occ)
		}
	}
	return out
}

// occurrenceKey identifies an occurrence by its original start: the instant for a timed
// series, the civil date (in the time's own location) for an all-day one.
func occurrenceKey(t time.Time, allDay bool) int64 {
	if allDay {
		return DateOf(t).Midnight(time.UTC).Unix()
	}
	return t.Unix()
}

// entrySpan returns when e starts and ends as instants; an all-day entry runs from midnight
// to midnight in loc. An entry with no end, or an end before its start, is an instant.
func entrySpan(e Entry, loc *time.Location) (start, end time.Time) {
	if e.Start.AllDay() {
		return e.Start.Date.Midnight(loc), allDayEnd(e).Midnight(loc)
	}
	start = e.Start.Time
	if !e.End.IsZero() && !e.End.AllDay() && e.End.Time.After(start) {
		return start, e.End.Time
	}
	return start, start
}

// allDayEnd returns the exclusive end date of an all-day entry: its End when that is a later
// date, else the day after its start.
func allDayEnd(e Entry) Date {
	if e.End.AllDay() && !e.End.IsZero() && e.End.Date.After(e.Start.Date) {
		return e.End.Date
	}
	return e.Start.Date.AddDays(1)
}

// overlaps reports whether [start, end) meets [from, to); an instant meets it when inside.
func overlaps(start, end, from, to time.Time) bool {
	if !end.After(start) {
		return !start.Before(from) && start.Before(to)
	}
	return start.Before(to) && end.After(from)
}

// sortEntries orders entries by start, then UID, then RecurrenceID (a series before its
// overrides), keeping the input order of anything still equal.
func sortEntries(entries []Entry) {
	slices.SortStableFunc(entries, func(a, b Entry) int {
		return cmp.Or(
			compareStart(a, b),
			cmp.Compare(a.UID, b.UID),
			a.RecurrenceID.Compare(b.RecurrenceID),
		)
	})
}

// compareStart orders by start instant; all-day entries count from midnight UTC of their date
// so the order does not depend on zone lookups.
func compareStart(a, b Entry) int {
	return a.Start.Instant(time.UTC).Compare(b.Start.Instant(time.UTC))
}
