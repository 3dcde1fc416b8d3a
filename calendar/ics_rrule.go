package calendar

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// series is a recurring entry's rule as both the feed and the JSON calendar expand it, so the
// two never disagree about which occurrences exist.
type series struct {
	rec *Recurrence
	// text is the rule after normaliseRRule, as ParseRecurrence accepted it.
	text   string
	allDay bool
	// start anchors the expansion: the entry's start in its zone, or midnight UTC of its date
	// for an all-day series, so rrule-go keeps wall-clock times across DST changes.
	start time.Time
}

// parseSeries parses e.RRule for e in zone z.
func parseSeries(e Entry, z zone) (series, error) {
	allDay := e.Start.AllDay()
	start := e.Start.Date.Midnight(time.UTC)
	if !allDay {
		start = e.Start.Time.In(z.loc)
	}
	text, err := normaliseRRule(e.RRule, allDay, z.loc)
	if err != nil {
		return series{}, err
	}
	rec, err := ParseRecurrence(text, start)
	if err != nil {
		return series{}, err
	}
	return series{rec: rec, text: text, allDay: allDay, start: start}, nil
}

// feedRule returns the RRULE value feeds write, and the first and last occurrences.
//
// The rule is rrule-go's normal form with UNTIL in UTC for a timed series (RFC 5545 §3.3.10
// wants it so with a TZID'd DTSTART, and Google and Outlook misread anything else) and a DATE
// for an all-day one. A rule that runs on past what Recurrence.Between yields (MaxOccurrences,
// MaxSeriesSpan: no end, or a far COUNT or UNTIL) is written with UNTIL at the last
// occurrence, so every client shows exactly the occurrences the JSON calendar and the
// reminders know, and no client expands a series without end.
//
// first differs from the entry's start only when the start does not match its own rule,
// which RFC 5545 leaves undefined: ical.js and Google count such a DTSTART as an occurrence
// and rrule-go does not, so feeds start the series at first.
func (s series) feedRule() (rule string, first, last time.Time, err error) {
	occ := s.rec.Between(s.start, s.start.Add(MaxSeriesSpan))
	if len(occ) == 0 {
		return "", time.Time{}, time.Time{}, fmt.Errorf("the rule yields no occurrence")
	}
	first, last = occ[0], occ[len(occ)-1]
	rule = s.rec.String()
	if capped(s.text, len(occ), s.start) {
		rule = withUntil(rule, last)
	}
	if s.allDay {
		rule = untilAsDate(rule)
	}
	return rule, first, last, nil
}

// capped reports whether the normalised rule goes on past the n occurrences Between yielded.
func capped(rule string, n int, start time.Time) bool {
	var count int
	var until time.Time
	for _, p := range strings.Split(rule, ";") {
		name, value, _ := strings.Cut(p, "=")
		switch name {
		case "COUNT":
			count, _ = strconv.Atoi(value)
		case "UNTIL":
			if len(value) == len(dateLayout) {
				until, _ = time.Parse(dateLayout, value)
			} else {
				until, _ = time.Parse(utcDateTimeLayout, value)
			}
		}
	}
	switch {
	case n >= MaxOccurrences:
		return true
	case count > 0:
		return count > n
	case !until.IsZero():
		return !until.Before(start.Add(MaxSeriesSpan))
	default:
		return true
	}
}

// withUntil replaces the end of rule (COUNT or UNTIL) by UNTIL at last, in UTC.
func withUntil(rule string, last time.Time) string {
	var parts []string
	for _, p := range strings.Split(rule, ";") {
		if !strings.HasPrefix(p, "COUNT=") && !strings.HasPrefix(p, "UNTIL=") {
			parts = append(parts, p)
		}
	}
	return strings.Join(append(parts, "UNTIL="+last.UTC().Format(utcDateTimeLayout)), ";")
}

// normaliseRRule rewrites UNTIL so rrule-go, which reads every UNTIL as UTC, means what the
// rule's author meant: a local date-time is in the series' zone, and a bare date on a timed
// series includes that whole day. A DTSTART part is dropped (the entry's start anchors the
// series) and BYEASTER, an rrule-go extension no client knows, is refused.
func normaliseRRule(rule string, allDay bool, loc *time.Location) (string, error) {
	rule = strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(rule)), "RRULE:")
	var parts []string
	for _, p := range strings.Split(rule, ";") {
		name, value, _ := strings.Cut(p, "=")
		switch name {
		case "":
			continue
		case "DTSTART":
			continue
		case "BYEASTER":
			return "", fmt.Errorf("BYEASTER is not part of RFC 5545")
		case "UNTIL":
			v, err := normaliseUntil(value, allDay, loc)
			if err != nil {
				return "", err
			}
			p = "UNTIL=" + v
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, ";"), nil
}

// normaliseUntil rewrites one UNTIL value as normaliseRRule describes: UTC for a timed series,
// a DATE for an all-day one.
func normaliseUntil(v string, allDay bool, loc *time.Location) (string, error) {
	var t time.Time
	var err error
	switch len(v) {
	case len(dateLayout):
		var d time.Time
		if d, err = time.Parse(dateLayout, v); err == nil && allDay {
			return v, nil
		}
		// The last second of that day in the series' zone, whatever its length.
		t = time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, loc).Add(-time.Second)
	case len(localDateTimeLayout):
		t, err = time.ParseInLocation(localDateTimeLayout, v, loc)
	case len(utcDateTimeLayout):
		t, err = time.Parse(utcDateTimeLayout, v)
	default:
		err = fmt.Errorf("bad length")
	}
	if err != nil {
		return "", fmt.Errorf("UNTIL %q is neither a date nor a date-time", v)
	}
	if allDay {
		return t.In(loc).Format(dateLayout), nil
	}
	return t.UTC().Format(utcDateTimeLayout), nil
}

// untilAsDate turns rrule-go's UNTIL=YYYYMMDDT000000Z back into the DATE an all-day series
// needs: RFC 5545 wants UNTIL of DTSTART's value type.
func untilAsDate(rule string) string {
	parts := strings.Split(rule, ";")
	for i, p := range parts {
		if v, ok := strings.CutPrefix(p, "UNTIL="); ok && len(v) >= len(dateLayout) {
			parts[i] = "UNTIL=" + v[:len(dateLayout)]
		}
	}
	return strings.Join(parts, ";")
}
