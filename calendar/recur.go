package calendar

import (
	"fmt"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// MaxOccurrences caps every expansion of a recurrence, whatever window is asked for.
const MaxOccurrences = 1000

// MaxSeriesSpan is the furthest a series may reach past its first start: a rule that would
// run longer (by UNTIL, COUNT or no end at all) is expanded no further than this.
const MaxSeriesSpan = 5 * 366 * 24 * time.Hour

// Recurrence is a validated RFC 5545 RRULE anchored at the start of its first occurrence.
type Recurrence struct {
	rule  *rrule.RRule
	start time.Time
	text  string
}

// ParseRecurrence validates rule (without the "RRULE:" prefix) for a series whose first
// occurrence starts at start. Only DAILY and coarser frequencies are accepted: court
// appointments never repeat hourly, and finer rules whose BY-parts match nothing make the
// iterator spin. A rule that yields no occurrence in its first year is refused too.
func ParseRecurrence(rule string, start time.Time) (*Recurrence, error) {
	rule = strings.TrimPrefix(strings.TrimSpace(rule), "RRULE:")
	opt, err := rrule.StrToROption(rule)
	if err != nil {
		return nil, fmt.Errorf("not an RFC 5545 RRULE: %v", err)
	}
	switch opt.Freq {
	case rrule.DAILY, rrule.WEEKLY, rrule.MONTHLY, rrule.YEARLY:
	default:
		return nil, fmt.Errorf("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
	}
	if opt.Count < 0 || opt.Count > MaxOccurrences {
		return nil, fmt.Errorf("COUNT must be between 1 and %d", MaxOccurrences)
	}
	if opt.Interval < 0 || opt.Interval > 366 {
		return nil, fmt.Errorf("INTERVAL must be between 1 and 366")
	}
	if !opt.Until.IsZero() && opt.Until.Before(start) {
		return nil, fmt.Errorf("UNTIL %s is before the first start", opt.Until.UTC().Format(time.RFC3339))
	}
	opt.Dtstart = start
	r, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("not an RFC 5545 RRULE: %v", err)
	}
	rec := &Recurrence{rule: r, start: start, text: r.OrigOptions.RRuleString()}
	if first := rec.Between(start, start.AddDate(1, 0, 0)); len(first) == 0 {
		return nil, fmt.Errorf("the rule yields no occurrence in the year after its start")
	}
	return rec, nil
}

// String returns the normalised rule (without DTSTART).
func (r *Recurrence) String() string { return r.text }

// Bounded reports whether the rule itself ends (COUNT or UNTIL).
func (r *Recurrence) Bounded() bool {
	return r.rule.OrigOptions.Count > 0 || !r.rule.OrigOptions.Until.IsZero()
}

// Between returns the starts of the occurrences in [from, to), never more than
// MaxOccurrences and never later than MaxSeriesSpan after the first start. Starts keep the
// location of the series start, so wall-clock times stay put across DST changes.
func (r *Recurrence) Between(from, to time.Time) []time.Time {
	if limit := r.start.Add(MaxSeriesSpan); to.After(limit) {
		to = limit
	}
	if !to.After(from) {
		return nil
	}
	var out []time.Time
	next := r.rule.Iterator()
	for {
		t, ok := next()
		if !ok || !t.Before(to) || len(out) == MaxOccurrences {
			return out
		}
		if !t.Before(from) {
			out = append(out, t)
		}
	}
}
