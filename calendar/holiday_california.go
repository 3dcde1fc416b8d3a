package calendar

import (
	"sync"
	"time"
)

// California judicial holiday coverage. It starts in 2022 because the list changed in 2022
// (Columbus Day out, Native American Day in) and again in 2023 (Juneteenth in); the table
// below encodes only the law in force from 2022 on.
const (
	CaliforniaFirstYear = 2022
	CaliforniaLastYear  = 2040
)

// CaliforniaJudicialHolidays returns the judicial holidays of Cal. Civ. Proc. Code § 135
// (the "holidays" of §§ 12, 12a besides Saturdays and Sundays, and the days that are not
// court days).
//
// § 135 makes a judicial holiday of every full day Gov. Code § 6700 names, plus the day
// after Thanksgiving, except Admission Day (Sept. 9), Columbus Day, Lunar New Year and
// Genocide Remembrance Day, and except days the Governor alone appoints. Good Friday
// (noon to 3 p.m.) is not a full day. Sources checked (leginfo.legislature.ca.gov and
// bill texts):
//   - AB 855 (Stats. 2021, ch. 283), in force 2022-01-01, amended § 135 to add Columbus Day
//     to the exceptions and to remove Native American Day (4th Friday of September) from
//     them: from 2022 Columbus Day is a court day and Native American Day is not.
//   - AB 1655 (Stats. 2022), in force 2023-01-01, added June 19 "Juneteenth" to Gov. Code
//     § 6700; the Judicial Council announced the first Juneteenth judicial holiday for
//     Monday 2023-06-19.
//
// A holiday on a Saturday is observed the Friday before and one on a Sunday the Monday
// after (Cal. Rules of Court, rule 1.11, under the last sentences of § 135; Gov. Code
// § 6701 for Sundays); court holiday schedules published by superior courts follow it.
// Days the President appoints one at a time are judicial holidays under § 135 too; they
// cannot be generated and are passed in as closures, like a court's own closures (§ 12b).
func CaliforniaJudicialHolidays() *HolidayCalendar { return californiaHolidays() }

var californiaHolidays = sync.OnceValue(func() *HolidayCalendar {
	return buildHolidayCalendar("california", "California judicial holidays (Cal. Civ. Proc. Code § 135)",
		CaliforniaFirstYear, CaliforniaLastYear, []holidayRule{
			{name: "New Year's Day", day: fixed(time.January, 1)},
			{name: "Dr. Martin Luther King, Jr. Day", day: nthWeekday(time.January, time.Monday, 3)},
			{name: "Lincoln Day", day: fixed(time.February, 12)},
			{name: "Washington's Birthday (Presidents' Day)", day: nthWeekday(time.February, time.Monday, 3)},
			{name: "Cesar Chavez Day", day: fixed(time.March, 31)},
			{name: "Memorial Day", day: nthWeekday(time.May, time.Monday, -1)},
			{name: "Juneteenth", from: 2023, day: fixed(time.June, 19)},
			{name: "Independence Day", day: fixed(time.July, 4)},
			{name: "Labor Day", day: nthWeekday(time.September, time.Monday, 1)},
			{name: "Native American Day", day: nthWeekday(time.September, time.Friday, 4)},
			{name: "Veterans Day", day: fixed(time.November, 11)},
			{name: "Thanksgiving Day", day: nthWeekday(time.November, time.Thursday, 4)},
			{name: "Day after Thanksgiving", day: func(year int) Date {
				return nthWeekday(time.November, time.Thursday, 4)(year).AddDays(1)
			}},
			{name: "Christmas Day", day: fixed(time.December, 25)},
		})
})
