package calendar_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/docket/docket/calendar"
)

func ExampleExpand() {
	la, _ := time.LoadLocation("America/Los_Angeles")
	start := time.Date(2026, time.October, 20, 10, 0, 0, 0, la)
	series := calendar.Entry{
		UID:      "c-2026-0142-appointment-a-status@docket",
		Title:    "Status call",
		Start:    calendar.When{Date: calendar.DateOf(start), Time: start},
		End:      calendar.When{Date: calendar.DateOf(start), Time: start.Add(time.Hour)},
		TimeZone: "America/Los_Angeles",
		RRule:    "FREQ=WEEKLY;COUNT=4",
		ExDates:  []time.Time{start.AddDate(0, 0, 7)},
	}
	from := time.Date(2026, time.October, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, time.December, 1, 0, 0, 0, 0, time.UTC)
	for _, e := range calendar.Expand([]calendar.Entry{series}, from, to) {
		fmt.Println(e.Start, e.Title)
	}
	// Output:
	// 2026-10-20T10:00:00-07:00 Status call
	// 2026-11-03T10:00:00-08:00 Status call
	// 2026-11-10T10:00:00-08:00 Status call
}

func ExampleRenderFeed() {
	due := time.Date(2026, time.December, 10, 16, 0, 0, 0, time.UTC)
	feed := calendar.Feed{
		Name: "Ørsted A/S — deadlines",
		Now:  due,
		Entries: []calendar.Entry{{
			UID:      "c-2026-0199-deadline-d-disclosure@docket",
			Kind:     calendar.KindDeadline,
			Title:    "Disclosure deadline (CPR 31.10), standard disclosure; list of documents",
			Start:    calendar.When{Date: calendar.DateOf(due), Time: due},
			TimeZone: "UTC",
			Status:   calendar.StatusConfirmed,
			Sequence: 1,
			Modified: due.AddDate(0, 0, -60),
		}},
	}
	ics, err := calendar.RenderFeed(feed)
	if err != nil {
		panic(err)
	}
	fmt.Print(strings.ReplaceAll(string(ics), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// CALSCALE:GREGORIAN
	// METHOD:PUBLISH
	// PRODID:-//Docket//Docket Calendar//EN
	// REFRESH-INTERVAL;VALUE=DURATION:PT1H
	// VERSION:2.0
	// X-PUBLISHED-TTL:PT1H
	// X-WR-CALNAME:Ørsted A/S — deadlines
	// BEGIN:VEVENT
	// DTSTAMP:20261011T160000Z
	// DTSTART:20261210T160000Z
	// LAST-MODIFIED:20261011T160000Z
	// SEQUENCE:1
	// STATUS:CONFIRMED
	// SUMMARY:Disclosure deadline (CPR 31.10)\, standard disclosure\; list of doc
	//  uments
	// TRANSP:TRANSPARENT
	// UID:c-2026-0199-deadline-d-disclosure@docket
	// END:VEVENT
	// END:VCALENDAR
}
