package calendar_test

import (
	"fmt"
	"log"

	"github.com/docket/docket/calendar"
)

// New Year's Day 2022 fell on a Saturday, so it was observed on Friday, December 31, 2021.
func ExampleHolidayCalendar_Lookup() {
	h, ok, err := calendar.FederalHolidays().Lookup(calendar.NewDate(2021, 12, 31))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ok, h.Name)
	_, _, err = calendar.FederalHolidays().Lookup(calendar.NewDate(2041, 1, 1))
	fmt.Println(err)
	// Output:
	// true New Year's Day (observed)
	// 2041-01-01 is outside 2000–2040, the years the federal holiday table covers
}

// Sixteen California court days before a hearing on Wednesday, November 26, 2025.
func ExampleCourtDays_AddCourtDays() {
	court := calendar.NewCourtDays(calendar.CaliforniaJudicialHolidays())
	d, skipped, err := court.AddCourtDays(calendar.NewDate(2025, 11, 26), -16)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d, d.Weekday(), skipped)
	// Output:
	// 2025-11-03 Monday [{2025-11-11 Veterans Day}]
}
