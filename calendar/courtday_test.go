package calendar

import (
	"errors"
	"fmt"
	"testing"
)

func TestClosed(t *testing.T) {
	court := NewCourtDays(FederalHolidays(), date(t, "2025-03-17"))
	tests := []struct {
		day, want, why string
	}{
		{"2025-08-30", "Saturday", "weekend"},
		{"2025-08-31", "Sunday", "weekend"},
		{"2025-09-01", "Labor Day", "legal holiday"},
		{"2025-09-02", "", "an ordinary Tuesday"},
		{"2025-03-17", ClosureName, "a closure the caller passed"},
		{"2021-12-31", "New Year's Day (observed)", "observed holiday in the year before"},
	}
	for _, tt := range tests {
		got, err := court.Closed(date(t, tt.day))
		if err != nil || got != tt.want {
			t.Errorf("Closed(%s) = %q, %v; want %q (%s)", tt.day, got, err, tt.want, tt.why)
		}
	}
}

func TestAddCourtDays(t *testing.T) {
	federal := NewCourtDays(FederalHolidays())
	california := NewCourtDays(CaliforniaJudicialHolidays(), date(t, "2025-06-23"))
	tests := []struct {
		court   *CourtDays
		from    string
		n       int
		want    string
		skipped string
		why     string
	}{
		{federal, "2025-08-29", 1, "2025-09-02", "[2025-09-01 Labor Day]", "Fri → Sat, Sun, Labor Day Monday → Tue"},
		{federal, "2025-09-02", -1, "2025-08-29", "[2025-09-01 Labor Day]", "backward across the same weekend"},
		{federal, "2025-11-26", 1, "2025-11-28", "[2025-11-27 Thanksgiving Day]", "the day after Thanksgiving is a federal court day"},
		{california, "2025-11-26", 1, "2025-12-01", "[2025-11-27 Thanksgiving Day 2025-11-28 Day after Thanksgiving]", "but not a California one"},
		{california, "2025-11-26", -16, "2025-11-03", "[2025-11-11 Veterans Day]",
			"CCP 1005(b) moving papers for a Wed 2025-11-26 hearing: 16 court days back, skipping Veterans Day"},
		{california, "2025-06-20", 2, "2025-06-25", "[2025-06-23 court closed]",
			"Fri → (weekend) → Mon 6-23 closed → Tue 6-24 is 1 → Wed 6-25 is 2"},
		{federal, "2021-12-30", 1, "2022-01-03", "[2021-12-31 New Year's Day (observed)]", "across the year boundary and an observed New Year's"},
		{federal, "2025-07-07", 5, "2025-07-14", "[]", "a plain week"},
	}
	for _, tt := range tests {
		got, skipped, err := tt.court.AddCourtDays(date(t, tt.from), tt.n)
		if err != nil {
			t.Fatalf("AddCourtDays(%s, %d): %v", tt.from, tt.n, err)
		}
		var names []string
		for _, h := range skipped {
			names = append(names, h.Date.String()+" "+h.Name)
		}
		if got.String() != tt.want || fmt.Sprint(names) != tt.skipped {
			t.Errorf("AddCourtDays(%s, %d) = %s %v; want %s %s (%s)", tt.from, tt.n, got, names, tt.want, tt.skipped, tt.why)
		}
	}
}

func TestAddCourtDaysRefusesOutsideCoverage(t *testing.T) {
	_, _, err := NewCourtDays(FederalHolidays()).AddCourtDays(date(t, "2040-12-28"), 3)
	var cov *CoverageError
	if !errors.As(err, &cov) || cov.Date.String() != "2041-01-01" {
		t.Errorf("AddCourtDays past 2040 = %v; want a CoverageError at 2041-01-01", err)
	}
}

func TestNewCourtDaysNeedsCalendar(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("NewCourtDays(nil) did not panic")
		}
	}()
	NewCourtDays(nil)
}

func TestIsCourtDay(t *testing.T) {
	court := NewCourtDays(CaliforniaJudicialHolidays())
	for day, want := range map[string]bool{
		"2025-11-28": false, // Day after Thanksgiving
		"2025-10-13": true,  // Columbus Day is a California court day
		"2025-11-29": false, // Saturday
	} {
		got, err := court.IsCourtDay(date(t, day))
		if err != nil || got != want {
			t.Errorf("IsCourtDay(%s) = %v, %v; want %v", day, got, err, want)
		}
	}
	if got, err := court.IsCourtDay(date(t, "2021-06-01")); got || err == nil {
		t.Errorf("IsCourtDay(2021-06-01) = %v, %v; want false and a coverage error", got, err)
	}
	if court.Holidays().Name() != "California judicial holidays (Cal. Civ. Proc. Code § 135)" {
		t.Errorf("Name() = %q", court.Holidays().Name())
	}
}
