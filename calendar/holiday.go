package calendar

import (
	"fmt"
	"sort"
	"time"
)

// Holiday is one day on which a court is closed by law, with the name traces show.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"`
}

// HolidayCalendar is the legal holidays of one jurisdiction over an explicit span of years.
// Outside that span it answers with a *CoverageError: a deadline engine must refuse rather
// than guess which days a court will be closed.
type HolidayCalendar struct {
	id    string
	name  string
	first int
	last  int
	days  map[Date]Holiday
}

// CoverageError reports a date outside the years a holiday calendar covers.
type CoverageError struct {
	Calendar string
	Date     Date
	First    int
	Last     int
}

// Error implements the error interface.
func (e *CoverageError) Error() string {
	return fmt.Sprintf("%s is outside %d–%d, the years the %s holiday table covers",
		e.Date, e.First, e.Last, e.Calendar)
}

// ID returns the calendar's identifier, as rule sets name it ("federal", "california").
func (c *HolidayCalendar) ID() string { return c.id }

// Name returns a description of the calendar for people.
func (c *HolidayCalendar) Name() string { return c.name }

// Years returns the first and last year the calendar covers.
func (c *HolidayCalendar) Years() (first, last int) { return c.first, c.last }

// Covers reports whether d lies in a year the calendar covers.
func (c *HolidayCalendar) Covers(d Date) bool { return d.Year >= c.first && d.Year <= c.last }

// Lookup returns the holiday observed on d, if any, or a *CoverageError when d is outside
// the covered years.
func (c *HolidayCalendar) Lookup(d Date) (Holiday, bool, error) {
	if !c.Covers(d) {
		return Holiday{}, false, c.coverageError(d)
	}
	h, ok := c.days[d]
	return h, ok, nil
}

// InYear returns the holidays observed on days of year, in date order. A holiday observed
// on the last day of the year before (New Year's Day on a Saturday) belongs to that year.
func (c *HolidayCalendar) InYear(year int) ([]Holiday, error) {
	if year < c.first || year > c.last {
		return nil, c.coverageError(NewDate(year, time.January, 1))
	}
	var out []Holiday
	for d, h := range c.days {
		if d.Year == year {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Date.Before(out[j].Date) })
	return out, nil
}

func (c *HolidayCalendar) coverageError(d Date) *CoverageError {
	return &CoverageError{Calendar: c.id, Date: d, First: c.first, Last: c.last}
}

// HolidayCalendars returns every holiday calendar Docket knows, by ID.
func HolidayCalendars() map[string]*HolidayCalendar {
	return map[string]*HolidayCalendar{
		"federal":    FederalHolidays(),
		"california": CaliforniaJudicialHolidays(),
	}
}

// holidayRule defines one holiday by statute: where it falls in a year, and from which
// year the statute makes it a holiday.
type holidayRule struct {
	name string
	from int // first year observed; 0 for every covered year
	day  func(year int) Date
}

// fixed is a holiday on the same month and day every year.
func fixed(month time.Month, day int) func(int) Date {
	return func(year int) Date { return NewDate(year, month, day) }
}

// nthWeekday is a holiday on the nth weekday of a month; n = -1 means the last one.
func nthWeekday(month time.Month, wd time.Weekday, n int) func(int) Date {
	return func(year int) Date {
		if n < 0 {
			last := NewDate(year, month+1, 0)
			return last.AddDays(-((int(last.Weekday()) - int(wd) + 7) % 7))
		}
		first := NewDate(year, month, 1)
		return first.AddDays((int(wd)-int(first.Weekday())+7)%7 + 7*(n-1))
	}
}

// weekendToWeekday moves a Saturday holiday to the Friday before and a Sunday one to the
// Monday after: the rule of 5 U.S.C. § 6103(b) and of Cal. Rules of Court, rule 1.11.
func weekendToWeekday(d Date) Date {
	switch d.Weekday() {
	case time.Saturday:
		return d.AddDays(-1)
	case time.Sunday:
		return d.AddDays(1)
	}
	return d
}

// buildHolidayCalendar generates the observed dates of rules for first..last. It also
// evaluates last+1 because New Year's Day on a Saturday is observed on December 31 of the
// year before, which is inside the span.
func buildHolidayCalendar(id, name string, first, last int, rules []holidayRule) *HolidayCalendar {
	c := &HolidayCalendar{id: id, name: name, first: first, last: last, days: map[Date]Holiday{}}
	for year := first; year <= last+1; year++ {
		for _, r := range rules {
			if year < r.from {
				continue
			}
			actual := r.day(year)
			observed := weekendToWeekday(actual)
			if !c.Covers(observed) {
				continue
			}
			h := Holiday{Date: observed, Name: r.name}
			if observed != actual {
				h.Name += " (observed)"
			}
			if prev, ok := c.days[observed]; ok {
				h.Name = prev.Name + " and " + h.Name
			}
			c.days[observed] = h
		}
	}
	return c
}
