package calendar

import (
	"sync"
	"time"
)

// Federal holiday coverage. The table is generated from the statute, so widening it is a
// matter of checking that the statute did not change in the added years.
const (
	FederalFirstYear = 2000
	FederalLastYear  = 2040
)

// FederalHolidays returns the legal holidays of Fed. R. Civ. P. 6(a)(6)(A) (and Fed. R. App.
// P. 26(a)(6)(A)): the days set aside by 5 U.S.C. § 6103(a) for the eleven named holidays,
// on their observed dates under § 6103(b) — a Saturday holiday on the Friday before, a Sunday
// one on the Monday after, so New Year's Day 2022 (a Saturday) is Friday 2021-12-31.
//
// Days the President or Congress declare a holiday one at a time (6(a)(6)(B), e.g. a day of
// mourning) and state holidays (6(a)(6)(C)) are not in the table: callers pass them as
// closures. Leaving them out can only make a computed deadline earlier, never later.
// Inauguration Day (§ 6103(c)) is a holiday only for employees around Washington, D.C.,
// and is not among the days 6(a)(6)(A) names.
func FederalHolidays() *HolidayCalendar { return federalHolidays() }

var federalHolidays = sync.OnceValue(func() *HolidayCalendar {
	return buildHolidayCalendar("federal", "United States legal public holidays (5 U.S.C. § 6103)",
		FederalFirstYear, FederalLastYear, []holidayRule{
			{name: "New Year's Day", day: fixed(time.January, 1)},
			{name: "Birthday of Martin Luther King, Jr.", day: nthWeekday(time.January, time.Monday, 3)},
			{name: "Washington's Birthday", day: nthWeekday(time.February, time.Monday, 3)},
			{name: "Memorial Day", day: nthWeekday(time.May, time.Monday, -1)},
			// Added by Pub. L. 117-17, signed 2021-06-17; the first observance was Friday
			// 2021-06-18 because June 19, 2021 was a Saturday.
			{name: "Juneteenth National Independence Day", from: 2021, day: fixed(time.June, 19)},
			{name: "Independence Day", day: fixed(time.July, 4)},
			{name: "Labor Day", day: nthWeekday(time.September, time.Monday, 1)},
			{name: "Columbus Day", day: nthWeekday(time.October, time.Monday, 2)},
			{name: "Veterans Day", day: fixed(time.November, 11)},
			{name: "Thanksgiving Day", day: nthWeekday(time.November, time.Thursday, 4)},
			{name: "Christmas Day", day: fixed(time.December, 25)},
		})
})
