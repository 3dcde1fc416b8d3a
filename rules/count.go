package rules

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/docket/docket/calendar"
)

// countingMethod is how one body of rules counts time: which provisions govern each step
// (for the citations in traces) and the two points where the bodies differ.
type countingMethod struct {
	// prefix and the pin cites after it: "Fed. R. Civ. P. " + "6(a)(1)(C)".
	prefix   string
	days     string // counting a period in days
	roll     string // a last day that is a weekend or holiday moves on
	backward string // ... and moves back for periods counted before an event
	closure  string // the court or clerk's office was closed on the last day
	hours    bool   // whether the rules count periods in hours
	hoursPin string // counting a period in hours
	// closureHours: the clerk's office was inaccessible in the last hour of an hour period.
	closureHours string
	// rollBeforeAddition: Fed. R. Civ. P. 6(d) adds its 3 days "after the period would
	// otherwise expire under Rule 6(a)", so the period is rolled, the days added and the
	// result rolled again. California extends the period itself (Cal. Civ. Proc. Code
	// §§ 1013(a), 1010.6: "shall be extended"), so the days are added to the unrolled last
	// day and §§ 12, 12a apply once, to the end of the extended period.
	rollBeforeAddition bool
	// additionsBefore: Cal. Civ. Proc. Code § 12c(b) adds service days to periods counted
	// before a hearing; Fed. R. Civ. P. 6(d) applies only where a party acts "within a
	// specified time after being served".
	additionsBefore bool
	noAdditionNote  string // why nothing is added before an event, when additionsBefore is false
	closureLabel    string
	calendarDays    string // how additions in days are named
}

var countingMethods = map[string]countingMethod{
	"frcp": {
		prefix: "Fed. R. Civ. P. ", days: "6(a)(1)", roll: "6(a)(1)(C)", backward: "6(a)(5)",
		closure: "6(a)(3)(A)", hours: true, hoursPin: "6(a)(2)", closureHours: "6(a)(3)(B)",
		rollBeforeAddition: true,
		noAdditionNote:     "Fed. R. Civ. P. 6(d) adds days only to periods that run after service, not to a period counted before an event",
		closureLabel:       "clerk's office inaccessible", calendarDays: "days",
	},
	// Fed. R. App. P. 26(a) and (c) mirror Fed. R. Civ. P. 6(a) and (d).
	"frap": {
		prefix: "Fed. R. App. P. ", days: "26(a)(1)", roll: "26(a)(1)(C)", backward: "26(a)(5)",
		closure: "26(a)(3)(A)", hours: true, hoursPin: "26(a)(2)", closureHours: "26(a)(3)(B)",
		rollBeforeAddition: true,
		noAdditionNote:     "Fed. R. App. P. 26(c) adds days only to periods that run after service, not to a period counted before an event",
		closureLabel:       "clerk's office inaccessible", calendarDays: "days",
	},
	"ccp": {
		prefix: "Cal. Civ. Proc. Code § ", days: "12", roll: "12a", backward: "12c",
		closure: "12b", additionsBefore: true,
		closureLabel: "court closed", calendarDays: "calendar days",
	},
}

// CountingMethods returns the names of the counting methods a rule set may use.
func CountingMethods() []string {
	var out []string
	for k := range countingMethods {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// cite joins pin cites under the method's prefix: "Fed. R. Civ. P. 6(a)(1)(C), 6(a)(5)",
// "Cal. Civ. Proc. Code §§ 12a, 12b".
func (m countingMethod) cite(pins ...string) string {
	prefix := m.prefix
	if len(pins) > 1 && strings.HasSuffix(prefix, "§ ") {
		prefix = strings.TrimSuffix(prefix, "§ ") + "§§ "
	}
	return prefix + strings.Join(pins, ", ")
}

// period is one computation: n units after or before a starting point, plus what the
// service method adds.
type period struct {
	n         int
	unit      string
	direction string
	// add is the time service adds (nil for none), addLabel the service it is for
	// ("service by mail"), and note a trace line saying why nothing is added, or "".
	add      *Addition
	addLabel string
	note     string
}

// counter computes periods on one court's calendar and writes down every step.
type counter struct {
	method countingMethod
	court  *calendar.CourtDays
	trace  []string
}

func (c *counter) step(format string, args ...any) {
	c.trace = append(c.trace, fmt.Sprintf(format, args...))
}

// count computes p from from. Errors are *calendar.CoverageError (a day outside the holiday
// table) or errNeedsTime (an hour period from a bare date).
func (c *counter) count(from calendar.When, p period) (calendar.When, error) {
	if p.unit == UnitHours {
		return c.countHours(from, p)
	}
	dir := 1
	if p.direction == Before {
		dir = -1
	}
	start := from.Date
	if _, err := c.court.Closed(start); err != nil {
		return calendar.When{}, err
	}
	var d calendar.Date
	switch p.unit {
	case UnitDays:
		d = start.AddDays(dir * p.n)
		c.step("%s %s %s is %s", plural(p.n, "day"), p.direction, start, day(d))
	case UnitCourtDays:
		var skipped []calendar.Holiday
		var err error
		if d, skipped, err = c.court.AddCourtDays(start, dir*p.n); err != nil {
			return calendar.When{}, err
		}
		c.step("%s %s %s is %s%s", plural(p.n, "court day"), p.direction, start, day(d), c.skipping(skipped))
	}
	if p.note != "" {
		c.step("%s", p.note)
	}
	var err error
	if p.add != nil && c.method.rollBeforeAddition {
		if d, err = c.roll(d, dir); err != nil {
			return calendar.When{}, err
		}
	}
	if p.add != nil {
		if d, err = c.addition(d, dir, p); err != nil {
			return calendar.When{}, err
		}
	}
	d, err = c.roll(d, dir)
	return calendar.When{Date: d}, err
}

// addition adds (or, before an event, subtracts) the time service adds.
func (c *counter) addition(d calendar.Date, dir int, p period) (calendar.Date, error) {
	a := p.add
	var skipped []calendar.Holiday
	switch a.Unit {
	case UnitDays:
		d = d.AddDays(dir * a.N)
	case UnitCourtDays:
		var err error
		if d, skipped, err = c.court.AddCourtDays(d, dir*a.N); err != nil {
			return calendar.Date{}, err
		}
	}
	amount := plural(a.N, "court day")
	if a.Unit == UnitDays {
		amount = fmt.Sprintf("%d %s", a.N, c.method.calendarDays)
		if a.N == 1 {
			amount = strings.TrimSuffix(amount, "s")
		}
	}
	if dir > 0 {
		c.step("+%s for %s (%s) → %s%s", amount, p.addLabel, a.Citation, day(d), c.skipping(skipped))
	} else {
		c.step("%s earlier for %s (%s, counted backward under %s) → %s%s", amount, p.addLabel,
			a.Citation, c.method.cite(c.method.backward+"(b)"), day(d), c.skipping(skipped))
	}
	return d, nil
}

// roll moves a last day that is a weekend, holiday or closure to the next day that is
// none of those: forward for periods after an event, backward for periods before one. A
// closure moves a before-event period back too: Fed. R. Civ. P. 6(a)(3) speaks only of the
// "first accessible day", and moving back is the reading that can never make a paper late.
func (c *counter) roll(d calendar.Date, dir int) (calendar.Date, error) {
	why, err := c.court.Closed(d)
	if err != nil || why == "" {
		return d, err
	}
	closed := why == calendar.ClosureName
	steps := []string{c.reason(why)}
	for {
		d = d.AddDays(dir)
		if why, err = c.court.Closed(d); err != nil {
			return calendar.Date{}, err
		}
		if why == "" {
			break
		}
		closed = closed || why == calendar.ClosureName
		if !weekend(d) {
			steps = append(steps, c.dayOff(d, why))
		}
	}
	pins := []string{c.method.roll}
	if dir < 0 {
		pins = append(pins, c.method.backward)
	}
	if closed {
		pins = append(pins, c.method.closure)
	}
	line := strings.Join(append(steps, fmt.Sprintf("%s (%s)", day(d), c.method.cite(pins...))), " → ")
	if dir < 0 {
		line = "counting backward: " + line
	}
	c.step("%s", line)
	return d, nil
}

// countHours counts a period in hours (Fed. R. Civ. P. 6(a)(2)): every hour from the
// trigger instant; if the period ends on a weekend, holiday or closure it runs to the same
// time on the next day that is none of those. Days are judged in the offset of the trigger
// time, which callers give in the court's time zone.
func (c *counter) countHours(from calendar.When, p period) (calendar.When, error) {
	if from.AllDay() {
		return calendar.When{}, errNeedsTime
	}
	dir := 1
	if p.direction == Before {
		dir = -1
	}
	if _, err := c.court.Closed(from.Date); err != nil {
		return calendar.When{}, err
	}
	t := from.Time.Add(time.Duration(dir*p.n) * time.Hour)
	c.step("%s %s %s is %s", plural(p.n, "hour"), p.direction, from.Time.Format(time.RFC3339), instant(t))
	why, err := c.court.Closed(calendar.DateOf(t))
	if err != nil || why == "" {
		return calendar.When{Date: calendar.DateOf(t), Time: t}, err
	}
	closed := why == calendar.ClosureName
	steps := []string{c.reason(why)}
	for {
		// AddDate keeps the wall-clock time: "the same time on the next day".
		t = t.AddDate(0, 0, dir)
		if why, err = c.court.Closed(calendar.DateOf(t)); err != nil {
			return calendar.When{}, err
		}
		if why == "" {
			break
		}
		closed = closed || why == calendar.ClosureName
		if !weekend(calendar.DateOf(t)) {
			steps = append(steps, c.dayOff(calendar.DateOf(t), why))
		}
	}
	pins := []string{c.method.hoursPin + "(C)"}
	if dir < 0 {
		pins = append(pins, c.method.backward)
	}
	if closed {
		pins = append(pins, c.method.closureHours)
	}
	line := strings.Join(append(steps, fmt.Sprintf("same time on %s (%s)", instant(t), c.method.cite(pins...))), " → ")
	if dir < 0 {
		line = "counting backward: " + line
	}
	c.step("%s", line)
	return calendar.When{Date: calendar.DateOf(t), Time: t}, nil
}

// reason names why a day does not count, in the method's words for a closure.
func (c *counter) reason(why string) string {
	if why == calendar.ClosureName {
		return c.method.closureLabel
	}
	return why
}

// dayOff says why a weekday on the way does not count: "Mon 2025-09-01 is Labor Day".
func (c *counter) dayOff(d calendar.Date, why string) string {
	if why == calendar.ClosureName {
		return fmt.Sprintf("%s: %s", day(d), c.reason(why))
	}
	return fmt.Sprintf("%s is %s", day(d), why)
}

// skipping lists, in date order, the holidays and closures a court-day count stepped over.
func (c *counter) skipping(skipped []calendar.Holiday) string {
	if len(skipped) == 0 {
		return ""
	}
	slices.SortFunc(skipped, func(a, b calendar.Holiday) int { return a.Date.Compare(b.Date) })
	var parts []string
	for _, h := range skipped {
		parts = append(parts, fmt.Sprintf("%s, %s", day(h.Date), c.reason(h.Name)))
	}
	return " (not counting " + strings.Join(parts, "; ") + ")"
}

// day formats a date with its weekday: "Sat 2025-08-30".
func day(d calendar.Date) string {
	return d.Weekday().String()[:3] + " " + d.String()
}

// instant formats a time with its weekday: "Mon 2025-09-08T17:00:00-07:00".
func instant(t time.Time) string {
	return t.Weekday().String()[:3] + " " + t.Format(time.RFC3339)
}

func weekend(d calendar.Date) bool {
	return d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
}

func plural(n int, unit string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", unit)
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
