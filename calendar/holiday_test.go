package calendar

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rickar/cal/v2/us"
)

// date parses a YYYY-MM-DD test literal.
func date(t *testing.T, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// holidayList renders holidays as "YYYY-MM-DD Name" lines for comparison.
func holidayList(hs []Holiday) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.Date.String()+" "+h.Name)
	}
	return out
}

func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func TestFederalHolidaysByYear(t *testing.T) {
	tests := []struct {
		year int
		want []string
		why  string
	}{
		{2025, []string{
			"2025-01-01 New Year's Day",
			"2025-01-20 Birthday of Martin Luther King, Jr.",
			"2025-02-17 Washington's Birthday",
			"2025-05-26 Memorial Day",
			"2025-06-19 Juneteenth National Independence Day",
			"2025-07-04 Independence Day",
			"2025-09-01 Labor Day",
			"2025-10-13 Columbus Day",
			"2025-11-11 Veterans Day",
			"2025-11-27 Thanksgiving Day",
			"2025-12-25 Christmas Day",
		}, "no holiday of 2025 falls on a weekend: every one is on its statutory day"},
		{2021, []string{
			"2021-01-01 New Year's Day",
			"2021-01-18 Birthday of Martin Luther King, Jr.",
			"2021-02-15 Washington's Birthday",
			"2021-05-31 Memorial Day",
			"2021-06-18 Juneteenth National Independence Day (observed)",
			"2021-07-05 Independence Day (observed)",
			"2021-09-06 Labor Day",
			"2021-10-11 Columbus Day",
			"2021-11-11 Veterans Day",
			"2021-11-25 Thanksgiving Day",
			"2021-12-24 Christmas Day (observed)",
			"2021-12-31 New Year's Day (observed)",
		}, "June 19 and Dec 25, 2021 were Saturdays (Friday before); July 4 a Sunday (Monday after); " +
			"Jan 1, 2022 a Saturday, so 2021 holds two New Year's Days"},
		{2022, []string{
			"2022-01-17 Birthday of Martin Luther King, Jr.",
			"2022-02-21 Washington's Birthday",
			"2022-05-30 Memorial Day",
			"2022-06-20 Juneteenth National Independence Day (observed)",
			"2022-07-04 Independence Day",
			"2022-09-05 Labor Day",
			"2022-10-10 Columbus Day",
			"2022-11-11 Veterans Day",
			"2022-11-24 Thanksgiving Day",
			"2022-12-26 Christmas Day (observed)",
		}, "New Year's Day 2022 was observed on 2021-12-31, so 2022 has none; June 19 and Dec 25 were Sundays"},
		{2020, []string{
			"2020-01-01 New Year's Day",
			"2020-01-20 Birthday of Martin Luther King, Jr.",
			"2020-02-17 Washington's Birthday",
			"2020-05-25 Memorial Day",
			"2020-07-03 Independence Day (observed)",
			"2020-09-07 Labor Day",
			"2020-10-12 Columbus Day",
			"2020-11-11 Veterans Day",
			"2020-11-26 Thanksgiving Day",
			"2020-12-25 Christmas Day",
		}, "Juneteenth became a legal public holiday in June 2021; July 4, 2020 was a Saturday"},
		{2023, []string{
			"2023-01-02 New Year's Day (observed)",
			"2023-01-16 Birthday of Martin Luther King, Jr.",
			"2023-02-20 Washington's Birthday",
			"2023-05-29 Memorial Day",
			"2023-06-19 Juneteenth National Independence Day",
			"2023-07-04 Independence Day",
			"2023-09-04 Labor Day",
			"2023-10-09 Columbus Day",
			"2023-11-10 Veterans Day (observed)",
			"2023-11-23 Thanksgiving Day",
			"2023-12-25 Christmas Day",
		}, "Jan 1, 2023 was a Sunday (Monday after); Nov 11, 2023 a Saturday (Friday before)"},
	}
	for _, tt := range tests {
		got, err := FederalHolidays().InYear(tt.year)
		if err != nil {
			t.Fatalf("InYear(%d): %v", tt.year, err)
		}
		sameList(t, fmt.Sprintf("FederalHolidays().InYear(%d) (%s)", tt.year, tt.why), holidayList(got), tt.want)
	}
}

func TestFederalObservedShifts(t *testing.T) {
	tests := []struct {
		day  string
		want string // holiday name, "" for none
		why  string
	}{
		{"2021-12-31", "New Year's Day (observed)", "Jan 1, 2022 is a Saturday: observed the Friday before, in the year before"},
		{"2022-01-01", "", "the Saturday itself is not the legal holiday; it is a weekend day anyway"},
		{"2027-12-31", "New Year's Day (observed)", "Jan 1, 2028 is a Saturday"},
		{"2017-01-02", "New Year's Day (observed)", "Jan 1, 2017 was a Sunday: observed the Monday after"},
		{"2026-07-03", "Independence Day (observed)", "July 4, 2026 is a Saturday"},
		{"2027-07-05", "Independence Day (observed)", "July 4, 2027 is a Sunday"},
		{"2023-11-10", "Veterans Day (observed)", "Nov 11, 2023 was a Saturday"},
		{"2029-11-12", "Veterans Day (observed)", "Nov 11, 2029 is a Sunday"},
		{"2022-12-26", "Christmas Day (observed)", "Dec 25, 2022 was a Sunday"},
		{"2021-12-24", "Christmas Day (observed)", "Dec 25, 2021 was a Saturday"},
		{"2021-06-18", "Juneteenth National Independence Day (observed)", "June 19, 2021 was a Saturday; the first observance"},
		{"2027-06-18", "Juneteenth National Independence Day (observed)", "June 19, 2027 is a Saturday"},
		{"2020-06-19", "", "Juneteenth was not a legal public holiday before 2021"},
		{"2025-11-28", "", "the day after Thanksgiving is not a federal holiday"},
		{"2025-10-13", "Columbus Day", "second Monday of October 2025"},
		{"2024-05-27", "Memorial Day", "last Monday of May 2024 (May has five Mondays: 6, 13, 20, 27)"},
		{"2026-11-26", "Thanksgiving Day", "fourth Thursday of November 2026 (5, 12, 19, 26)"},
		{"2000-01-17", "Birthday of Martin Luther King, Jr.", "first covered year: third Monday of January 2000"},
		{"2040-12-25", "Christmas Day", "last covered year"},
	}
	for _, tt := range tests {
		h, ok, err := FederalHolidays().Lookup(date(t, tt.day))
		if err != nil {
			t.Fatalf("Lookup(%s): %v", tt.day, err)
		}
		if h.Name != tt.want || ok != (tt.want != "") {
			t.Errorf("Lookup(%s) = %q, %v; want %q (%s)", tt.day, h.Name, ok, tt.want, tt.why)
		}
	}
}

func TestHolidaysOnWeekdaysOnly(t *testing.T) {
	for _, cal := range HolidayCalendars() {
		first, last := cal.Years()
		for y := first; y <= last; y++ {
			hs, err := cal.InYear(y)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hs {
				if wd := h.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
					t.Errorf("%s: %s %s falls on a %s", cal.ID(), h.Date, h.Name, wd)
				}
			}
		}
	}
}

func TestHolidayCoverage(t *testing.T) {
	tests := []struct {
		cal *HolidayCalendar
		day string
		ok  bool
		why string
	}{
		{FederalHolidays(), "1999-12-31", false, "before the first covered year, even though it is New Year's 2000 observed"},
		{FederalHolidays(), "2000-01-01", true, "first covered day"},
		{FederalHolidays(), "2040-12-31", true, "last covered day"},
		{FederalHolidays(), "2041-01-01", false, "after the last covered year"},
		{CaliforniaJudicialHolidays(), "2021-12-31", false, "California coverage starts in 2022, when AB 855 took effect"},
		{CaliforniaJudicialHolidays(), "2022-01-03", true, "first covered Monday"},
	}
	for _, tt := range tests {
		_, _, err := tt.cal.Lookup(date(t, tt.day))
		var cov *CoverageError
		if got := !errors.As(err, &cov); got != tt.ok {
			t.Errorf("%s Lookup(%s) err = %v; want covered=%v (%s)", tt.cal.ID(), tt.day, err, tt.ok, tt.why)
		}
	}
	if _, err := FederalHolidays().InYear(2041); err == nil {
		t.Error("InYear(2041) = nil error; want a coverage error")
	}
	_, _, err := FederalHolidays().Lookup(date(t, "2041-03-02"))
	if want := "2041-03-02 is outside 2000–2040, the years the federal holiday table covers"; err == nil || err.Error() != want {
		t.Errorf("Lookup(2041-03-02) error = %v; want %q", err, want)
	}
}

// TestFederalAgainstRickarCal cross-checks the generated federal table with the independent
// github.com/rickar/cal/v2/us definitions for 2020–2035: same observed dates, same holidays.
// The libraries name three holidays differently; rickar also starts Juneteenth in 2021, so
// there is no deliberate difference in dates.
func TestFederalAgainstRickarCal(t *testing.T) {
	names := map[string]string{
		"New Year's Day":             "New Year's Day",
		"Martin Luther King Jr. Day": "Birthday of Martin Luther King, Jr.",
		"Presidents' Day":            "Washington's Birthday",
		"Memorial Day":               "Memorial Day",
		"Juneteenth":                 "Juneteenth National Independence Day",
		"Independence Day":           "Independence Day",
		"Labor Day":                  "Labor Day",
		"Columbus Day":               "Columbus Day",
		"Veterans Day":               "Veterans Day",
		"Thanksgiving Day":           "Thanksgiving Day",
		"Christmas Day":              "Christmas Day",
	}
	const first, last = 2020, 2035
	want := map[Date]string{}
	// One year either side: New Year's Day of 2036 may be observed on 2035-12-31.
	for y := first - 1; y <= last+1; y++ {
		for _, h := range us.Holidays {
			actual, observed := h.Calc(y)
			if observed.IsZero() {
				continue
			}
			d := NewDate(observed.Year(), observed.Month(), observed.Day())
			if d.Year < first || d.Year > last {
				continue
			}
			name, ok := names[h.Name]
			if !ok {
				t.Fatalf("rickar holiday %q has no counterpart", h.Name)
			}
			if !observed.Equal(actual) {
				name += " (observed)"
			}
			want[d] = name
		}
	}
	got := map[Date]string{}
	for y := first; y <= last; y++ {
		hs, err := FederalHolidays().InYear(y)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range hs {
			got[h.Date] = h.Name
		}
	}
	for d, name := range want {
		if got[d] != name {
			t.Errorf("%s: got %q; rickar/cal says %q", d, got[d], name)
		}
	}
	for d, name := range got {
		if _, ok := want[d]; !ok {
			t.Errorf("%s: got %q; rickar/cal has no holiday that day", d, name)
		}
	}
	if len(want) < 16*10 {
		t.Fatalf("rickar/cal gave only %d holidays; the cross-check is not checking much", len(want))
	}
}
