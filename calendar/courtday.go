package calendar

import "time"

// CourtDays tells court days from other days for one court: a court day is a weekday that
// is neither a holiday of its calendar nor a day the court was closed.
type CourtDays struct {
	holidays *HolidayCalendar
	closures map[Date]bool
}

// ClosureName is the name a closure carries in traces: the clerk's office was inaccessible
// (Fed. R. Civ. P. 6(a)(3)) or the office was closed for the whole day (Cal. Civ. Proc.
// Code § 12b).
const ClosureName = "court closed"

// NewCourtDays returns the court days of a court that observes holidays and was closed on
// the closures days. It panics when holidays is nil.
func NewCourtDays(holidays *HolidayCalendar, closures ...Date) *CourtDays {
	if holidays == nil {
		panic("calendar: NewCourtDays needs a holiday calendar")
	}
	c := &CourtDays{holidays: holidays, closures: map[Date]bool{}}
	for _, d := range closures {
		c.closures[d] = true
	}
	return c
}

// Holidays returns the holiday calendar the court observes.
func (c *CourtDays) Holidays() *HolidayCalendar { return c.holidays }

// Closed returns why d is not a court day ("Saturday", "Sunday", a holiday's name, or
// ClosureName), or "" when it is one. Outside the holiday calendar's years it returns a
// *CoverageError.
func (c *CourtDays) Closed(d Date) (string, error) {
	h, ok, err := c.holidays.Lookup(d)
	switch {
	case err != nil:
		return "", err
	case d.Weekday() == time.Saturday || d.Weekday() == time.Sunday:
		return d.Weekday().String(), nil
	case ok:
		return h.Name, nil
	case c.closures[d]:
		return ClosureName, nil
	}
	return "", nil
}

// IsCourtDay reports whether d is a court day.
func (c *CourtDays) IsCourtDay(d Date) (bool, error) {
	why, err := c.Closed(d)
	return why == "" && err == nil, err
}

// AddCourtDays returns the day n court days after d, or -n court days before it when n is
// negative. d itself is never counted, so the result is always a court day (for n ≠ 0). It
// also returns the holidays and closures on weekdays that the count stepped over, for
// traces; weekends are not listed.
func (c *CourtDays) AddCourtDays(d Date, n int) (Date, []Holiday, error) {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	var skipped []Holiday
	for n > 0 {
		d = d.AddDays(step)
		why, err := c.Closed(d)
		if err != nil {
			return Date{}, nil, err
		}
		switch {
		case why == "":
			n--
		case d.Weekday() != time.Saturday && d.Weekday() != time.Sunday:
			skipped = append(skipped, Holiday{Date: d, Name: why})
		}
	}
	return d, skipped, nil
}
