// Package calendar holds Docket's knowledge of time with no I/O and no clock: civil dates,
// date-or-time values, recurrence, time zones, iCalendar rendering, holidays and court days.
package calendar

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a civil day with no time zone: the unit court rules count in.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateLayout is the wire form of a Date.
const DateLayout = "2006-01-02"

// NewDate returns the Date for year, month and day, normalised like time.Date.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// DateOf returns the day t falls on in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "YYYY-MM-DD" and rejects impossible days such as 2026-02-30.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date (YYYY-MM-DD)", s)
	}
	return DateOf(t), nil
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// String returns d as "YYYY-MM-DD".
func (d Date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day) }

// Midnight returns the start of d in loc.
func (d Date) Midnight(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// AddDays returns d moved n days (n may be negative).
func (d Date) AddDays(n int) Date {
	return DateOf(d.Midnight(time.UTC).AddDate(0, 0, n))
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.Midnight(time.UTC).Weekday() }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	return d.Midnight(time.UTC).Compare(e.Midnight(time.UTC))
}

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of days from d to e (negative when e is earlier).
func (d Date) DaysUntil(e Date) int {
	return int(e.Midnight(time.UTC).Sub(d.Midnight(time.UTC)).Hours() / 24)
}

// MarshalText implements encoding.TextMarshaler.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// When is either an all-day date or an instant: due dates and trigger times may be either.
type When struct {
	// Date is the day; for a timed value, the day in the time's own offset.
	Date Date
	// Time is the instant, zero for an all-day value.
	Time time.Time
}

// ParseWhen parses "YYYY-MM-DD" as an all-day value or an RFC 3339 time with offset.
func ParseWhen(s string) (When, error) {
	if len(s) == len(DateLayout) {
		d, err := ParseDate(s)
		return When{Date: d}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return When{}, fmt.Errorf("%q is neither a date (YYYY-MM-DD) nor an RFC 3339 time with offset", s)
	}
	return When{Date: DateOf(t), Time: t}, nil
}

// AllDay reports whether w is a date without a time.
func (w When) AllDay() bool { return w.Time.IsZero() }

// IsZero reports whether w holds nothing.
func (w When) IsZero() bool { return w.Date.IsZero() && w.Time.IsZero() }

// String returns the wire form: "YYYY-MM-DD" or RFC 3339.
func (w When) String() string {
	if w.AllDay() {
		return w.Date.String()
	}
	return w.Time.Format(time.RFC3339)
}

// Instant returns the moment w ends up at in loc: the time itself, or midnight of the date.
func (w When) Instant(loc *time.Location) time.Time {
	if w.AllDay() {
		return w.Date.Midnight(loc)
	}
	return w.Time
}

// MarshalJSON implements json.Marshaler.
func (w When) MarshalJSON() ([]byte, error) { return json.Marshal(w.String()) }

// UnmarshalJSON implements json.Unmarshaler.
func (w *When) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("want a date (YYYY-MM-DD) or an RFC 3339 time as a string")
	}
	v, err := ParseWhen(s)
	if err != nil {
		return err
	}
	*w = v
	return nil
}
