package calendar

import (
	"fmt"
	"testing"
)

// TestCaliforniaJudicialHolidays compares the generated table with court holiday schedules
// the superior courts publish (Fresno for 2022–2025, Calaveras for 2026): an independent
// source for the observed dates of Cal. Rules of Court, rule 1.11.
func TestCaliforniaJudicialHolidays(t *testing.T) {
	tests := []struct {
		year int
		want []string
		why  string
	}{
		{2022, []string{
			"2022-01-17 Dr. Martin Luther King, Jr. Day",
			"2022-02-11 Lincoln Day (observed)",
			"2022-02-21 Washington's Birthday (Presidents' Day)",
			"2022-03-31 Cesar Chavez Day",
			"2022-05-30 Memorial Day",
			"2022-07-04 Independence Day",
			"2022-09-05 Labor Day",
			"2022-09-23 Native American Day",
			"2022-11-11 Veterans Day",
			"2022-11-24 Thanksgiving Day",
			"2022-11-25 Day after Thanksgiving",
			"2022-12-26 Christmas Day (observed)",
		}, "New Year's Day 2022 was observed on 2021-12-31, before coverage; no Juneteenth until 2023; " +
			"no Columbus Day since AB 855; Feb 12 was a Saturday"},
		{2023, []string{
			"2023-01-02 New Year's Day (observed)",
			"2023-01-16 Dr. Martin Luther King, Jr. Day",
			"2023-02-13 Lincoln Day (observed)",
			"2023-02-20 Washington's Birthday (Presidents' Day)",
			"2023-03-31 Cesar Chavez Day",
			"2023-05-29 Memorial Day",
			"2023-06-19 Juneteenth",
			"2023-07-04 Independence Day",
			"2023-09-04 Labor Day",
			"2023-09-22 Native American Day",
			"2023-11-10 Veterans Day (observed)",
			"2023-11-23 Thanksgiving Day",
			"2023-11-24 Day after Thanksgiving",
			"2023-12-25 Christmas Day",
		}, "first Juneteenth judicial holiday; Jan 1 and Feb 12 were Sundays, Nov 11 a Saturday"},
		{2024, []string{
			"2024-01-01 New Year's Day",
			"2024-01-15 Dr. Martin Luther King, Jr. Day",
			"2024-02-12 Lincoln Day",
			"2024-02-19 Washington's Birthday (Presidents' Day)",
			"2024-04-01 Cesar Chavez Day (observed)",
			"2024-05-27 Memorial Day",
			"2024-06-19 Juneteenth",
			"2024-07-04 Independence Day",
			"2024-09-02 Labor Day",
			"2024-09-27 Native American Day",
			"2024-11-11 Veterans Day",
			"2024-11-28 Thanksgiving Day",
			"2024-11-29 Day after Thanksgiving",
			"2024-12-25 Christmas Day",
		}, "March 31, 2024 was a Sunday: Cesar Chavez Day observed Monday April 1"},
		{2025, []string{
			"2025-01-01 New Year's Day",
			"2025-01-20 Dr. Martin Luther King, Jr. Day",
			"2025-02-12 Lincoln Day",
			"2025-02-17 Washington's Birthday (Presidents' Day)",
			"2025-03-31 Cesar Chavez Day",
			"2025-05-26 Memorial Day",
			"2025-06-19 Juneteenth",
			"2025-07-04 Independence Day",
			"2025-09-01 Labor Day",
			"2025-09-26 Native American Day",
			"2025-11-11 Veterans Day",
			"2025-11-27 Thanksgiving Day",
			"2025-11-28 Day after Thanksgiving",
			"2025-12-25 Christmas Day",
		}, "no shifts in 2025"},
		{2026, []string{
			"2026-01-01 New Year's Day",
			"2026-01-19 Dr. Martin Luther King, Jr. Day",
			"2026-02-12 Lincoln Day",
			"2026-02-16 Washington's Birthday (Presidents' Day)",
			"2026-03-31 Cesar Chavez Day",
			"2026-05-25 Memorial Day",
			"2026-06-19 Juneteenth",
			"2026-07-03 Independence Day (observed)",
			"2026-09-07 Labor Day",
			"2026-09-25 Native American Day",
			"2026-11-11 Veterans Day",
			"2026-11-26 Thanksgiving Day",
			"2026-11-27 Day after Thanksgiving",
			"2026-12-25 Christmas Day",
		}, "July 4, 2026 is a Saturday: observed Friday July 3"},
	}
	for _, tt := range tests {
		got, err := CaliforniaJudicialHolidays().InYear(tt.year)
		if err != nil {
			t.Fatalf("InYear(%d): %v", tt.year, err)
		}
		sameList(t, fmt.Sprintf("CaliforniaJudicialHolidays().InYear(%d) (%s)", tt.year, tt.why), holidayList(got), tt.want)
	}
}

func TestCaliforniaDiffersFromFederal(t *testing.T) {
	tests := []struct {
		day        string
		federal    bool
		california bool
		why        string
	}{
		{"2025-10-13", true, false, "Columbus Day: excepted from judicial holidays by AB 855 (2022)"},
		{"2025-09-26", false, true, "Native American Day: a judicial holiday since AB 855 (2022)"},
		{"2025-11-28", false, true, "the day after Thanksgiving is a judicial holiday by Cal. Civ. Proc. Code § 135 itself"},
		{"2025-02-12", false, true, "Lincoln Day"},
		{"2025-03-31", false, true, "Cesar Chavez Day"},
		{"2022-06-20", true, false, "Juneteenth 2022 (observed): federal since 2021, California judicial holiday only from 2023"},
		{"2024-06-19", true, true, "Juneteenth 2024 is a holiday in both"},
		{"2025-09-09", false, false, "Admission Day is a state holiday but excepted by § 135"},
	}
	for _, tt := range tests {
		_, fed, err := FederalHolidays().Lookup(date(t, tt.day))
		if err != nil {
			t.Fatal(err)
		}
		_, ca, err := CaliforniaJudicialHolidays().Lookup(date(t, tt.day))
		if err != nil {
			t.Fatal(err)
		}
		if fed != tt.federal || ca != tt.california {
			t.Errorf("%s: federal %v, california %v; want %v, %v (%s)", tt.day, fed, ca, tt.federal, tt.california, tt.why)
		}
	}
}
