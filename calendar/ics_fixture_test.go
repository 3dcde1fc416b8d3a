package calendar

import (
	"strings"
	"testing"
	"time"
)

// feedNow is the reference time of the golden feeds.
var feedNow = time.Date(2026, time.November, 25, 17, 0, 0, 0, time.UTC)

// icsTime parses an RFC 3339 time as the API would, keeping its fixed offset.
func icsTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func icsTimed(t testing.TB, s string) When {
	v := icsTime(t, s)
	return When{Date: DateOf(v), Time: v}
}

func icsDate(t testing.TB, s string) When {
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return When{Date: d}
}

// Unique ids of the rich feed's entries.
const (
	uidSeries       = "c-2026-0142-appointment-a-status@docket"
	uidNYBefore     = "c-2026-0142-hearing-h-motion@docket"
	uidNYAfter      = "c-2026-0142-hearing-h-pretrial@docket"
	uidLondonBefore = "c-2026-0199-hearing-h-anhoerung@docket"
	uidLondonAfter  = "c-2026-0199-hearing-h-cmc@docket"
	uidCancelled    = "c-2026-0142-hearing-h-settlement@docket"
	uidExpired      = "c-2026-0142-hearing-h-old@docket"
	uidFiling       = "c-2026-0142-filing-f-opposition@docket"
	uidDeadline     = "c-2026-0199-deadline-d-disclosure@docket"
)

// longTitle is beyond 75 octets and mixes two- and three-byte UTF-8 sequences.
const longTitle = "Anhörung — Müller v. Ørsted, 第一審 (Berufung): Beweisaufnahme über Schadensersatz, Teil 2"

// richFeed has three zones with entries on both sides of their autumn 2026 DST changes (US on
// 1 November, UK on 25 October), a weekly series with one cancelled and one moved occurrence,
// a recently cancelled hearing (kept), one cancelled long ago (dropped), an all-day filing, a
// UTC deadline, and text full of characters iCalendar must escape.
func richFeed(t testing.TB) Feed {
	created := icsTime(t, "2026-09-01T08:00:00Z")
	return Feed{
		Name:        "Müller v. Ørsted; Smith, Jones — Docket",
		Description: "Hearings, filings and deadlines.\nManaged by Docket.",
		Now:         feedNow,
		Entries: []Entry{
			{
				UID: uidSeries, CaseID: "c-2026-0142", ItemID: "a-status", Kind: KindAppointment,
				Title:       "Weekly status call, team; prep",
				Start:       icsTimed(t, "2026-10-06T10:00:00-07:00"),
				End:         icsTimed(t, "2026-10-06T11:00:00-07:00"),
				TimeZone:    "America/Los_Angeles",
				Location:    "Zoom",
				Description: `Dial-in: +1 555 0100, PIN 42; agenda in \\fileserver\cases\0142`,
				Status:      StatusConfirmed, Sequence: 1, Created: created,
				Modified: icsTime(t, "2026-10-15T12:00:00Z"),
				RRule:    "FREQ=WEEKLY;BYDAY=TU;UNTIL=20261124T235959",
				ExDates:  []time.Time{icsTime(t, "2026-10-20T10:00:00-07:00")},
			},
			{
				UID: uidSeries, CaseID: "c-2026-0142", ItemID: "a-status", Kind: KindAppointment,
				Title:    "Weekly status call, team; prep (moved to Thursday)",
				Start:    icsTimed(t, "2026-11-12T14:00:00-08:00"),
				End:      icsTimed(t, "2026-11-12T15:00:00-08:00"),
				TimeZone: "America/Los_Angeles",
				Location: "Zoom",
				Status:   StatusConfirmed, Sequence: 2, Created: created,
				Modified:     icsTime(t, "2026-11-02T09:30:00Z"),
				RecurrenceID: icsTime(t, "2026-11-10T10:00:00-08:00"),
			},
			{
				UID: uidNYBefore, CaseID: "c-2026-0142", ItemID: "h-motion", Kind: KindHearing,
				Title:       `Motion hearing: Smith, Jones; et al. \ discovery`,
				Start:       icsTimed(t, "2026-10-30T09:30:00-04:00"),
				End:         icsTimed(t, "2026-10-30T10:30:00-04:00"),
				TimeZone:    "America/New_York",
				Location:    "Courtroom 12B, 500 Pearl St., New York, NY 10007",
				Description: "Docket 1:26-cv-0142 (S.D.N.Y.)\nJudge: Hon. A. Rivera\r\nBring exhibits A, B; C.",
				URL:         "https://docket.example/cases/c-2026-0142/hearings/h-motion?tab=details&x=1,2;3",
				Status:      StatusConfirmed, Sequence: 0, Created: created,
				Modified: icsTime(t, "2026-09-02T10:00:00Z"),
			},
			{
				UID: uidNYAfter, CaseID: "c-2026-0142", ItemID: "h-pretrial", Kind: KindHearing,
				Title:    "Pretrial conference",
				Start:    icsTimed(t, "2026-11-05T09:30:00-05:00"),
				End:      icsTimed(t, "2026-11-05T11:00:00-05:00"),
				TimeZone: "America/New_York",
				Location: "Courtroom 12B",
				Status:   StatusConfirmed, Sequence: 4, Created: created,
				Modified: icsTime(t, "2026-10-29T16:45:00Z"),
			},
			{
				UID: uidLondonBefore, CaseID: "c-2026-0199", ItemID: "h-anhoerung", Kind: KindHearing,
				Title:       longTitle,
				Start:       icsTimed(t, "2026-10-23T10:00:00+01:00"),
				End:         icsTimed(t, "2026-10-23T12:30:00+01:00"),
				TimeZone:    "Europe/London",
				Location:    "Rolls Building, Fetter Lane, London EC4A 1NL — Court 7",
				Description: "Dolmetscher: Deutsch ↔ English; 日本語 interpreter on standby.",
				Status:      StatusConfirmed, Sequence: 1, Created: created,
				Modified: icsTime(t, "2026-10-01T07:00:00Z"),
			},
			{
				UID: uidLondonAfter, CaseID: "c-2026-0199", ItemID: "h-cmc", Kind: KindHearing,
				Title:    "Case management conference — Ørsted A/S",
				Start:    icsTimed(t, "2026-10-27T10:00:00Z"),
				End:      icsTimed(t, "2026-10-27T11:00:00Z"),
				TimeZone: "Europe/London",
				Status:   StatusConfirmed, Sequence: 0, Created: created,
				Modified: icsTime(t, "2026-10-02T07:00:00Z"),
			},
			{
				UID: uidCancelled, CaseID: "c-2026-0142", ItemID: "h-settlement", Kind: KindHearing,
				Title:    "Settlement conference",
				Start:    icsTimed(t, "2026-12-03T14:00:00-05:00"),
				End:      icsTimed(t, "2026-12-03T15:00:00-05:00"),
				TimeZone: "America/New_York",
				Status:   StatusCancelled, Sequence: 3, Created: created,
				Modified: icsTime(t, "2026-11-20T15:00:00Z"),
			},
			{
				UID: uidExpired, CaseID: "c-2026-0142", ItemID: "h-old", Kind: KindHearing,
				Title:    "Status hearing (vacated)",
				Start:    icsTimed(t, "2026-10-15T09:00:00-07:00"),
				End:      icsTimed(t, "2026-10-15T09:30:00-07:00"),
				TimeZone: "America/Los_Angeles",
				Status:   StatusCancelled, Sequence: 2, Created: created,
				Modified: icsTime(t, "2026-10-10T15:00:00Z"),
			},
			{
				UID: uidFiling, CaseID: "c-2026-0142", ItemID: "f-opposition", Kind: KindFiling,
				Title:       "Opposition to motion to dismiss due",
				Start:       icsDate(t, "2026-12-01"),
				End:         icsDate(t, "2026-12-02"),
				TimeZone:    "America/Los_Angeles",
				Description: "Due by 11:59 pm court time (America/Los_Angeles).",
				Status:      StatusConfirmed, Sequence: 0, Created: created,
				Modified: icsTime(t, "2026-11-03T18:20:00Z"),
			},
			{
				UID: uidDeadline, CaseID: "c-2026-0199", ItemID: "d-disclosure", Kind: KindDeadline,
				Title:    "Disclosure deadline (CPR 31.10)",
				Start:    icsTimed(t, "2026-12-10T16:00:00Z"),
				TimeZone: "UTC",
				Status:   StatusConfirmed, Sequence: 0, Created: created,
				Modified: icsTime(t, "2026-10-02T07:00:00Z"),
			},
		},
	}
}

// Unique ids of the series feed's entries.
const (
	uidWeeklyForever = "c-2026-0300-appointment-a-weekly@docket"
	uidMonthlyAllDay = "c-2026-0300-deadline-d-monthly@docket"
	uidOffRule       = "c-2026-0300-appointment-a-prep@docket"
	uidTokyoUntil    = "c-2026-0300-appointment-a-tokyo@docket"
	uidBiweekly      = "c-2026-0300-appointment-a-biweekly@docket"
	uidGoneSeries    = "c-2026-0300-appointment-a-gone@docket"
)

func icsZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// seriesFeed holds the recurrence cases clients disagree on unless the feed is careful: a rule
// without end (written with UNTIL at the expansion cap), an all-day series with an EXDATE and a
// moved occurrence, a DTSTART that its own rule does not produce, a local-time UNTIL east of
// UTC, a cancelled override shown for over 30 days (it becomes an EXDATE) next to a recent
// one, and a series cancelled long ago together with its override (both dropped).
func seriesFeed(t testing.TB) Feed {
	chicago := icsZone(t, "America/Chicago")
	created := icsTime(t, "2025-12-01T08:00:00Z")
	modified := icsTime(t, "2025-12-15T08:00:00Z")
	return Feed{
		Name: "Series — Docket",
		Now:  feedNow,
		Entries: []Entry{
			{
				UID: uidWeeklyForever, Kind: KindAppointment, Title: "Monday team meeting",
				Start: icsTimed(t, "2026-01-05T09:00:00Z"), End: icsTimed(t, "2026-01-05T09:30:00Z"),
				TimeZone: "Europe/London", Status: StatusConfirmed, Created: created, Modified: modified,
				RRule: "FREQ=WEEKLY;BYDAY=MO",
			},
			{
				UID: uidMonthlyAllDay, Kind: KindDeadline, Title: "Monthly status report due",
				Start: icsDate(t, "2026-02-01"), End: icsDate(t, "2026-02-02"),
				TimeZone: "America/Chicago", Status: StatusConfirmed, Created: created, Modified: modified,
				RRule:   "FREQ=MONTHLY;BYMONTHDAY=1;UNTIL=20260701",
				ExDates: []time.Time{time.Date(2026, time.April, 1, 0, 0, 0, 0, chicago)},
			},
			{
				UID: uidMonthlyAllDay, Kind: KindDeadline, Title: "Monthly status report due (moved)",
				Start: icsDate(t, "2026-06-02"), End: icsDate(t, "2026-06-03"),
				TimeZone: "America/Chicago", Status: StatusConfirmed, Sequence: 1, Created: created,
				Modified:     icsTime(t, "2026-05-20T08:00:00Z"),
				RecurrenceID: time.Date(2026, time.June, 1, 0, 0, 0, 0, chicago),
			},
			{
				UID: uidOffRule, Kind: KindAppointment, Title: "Deposition prep",
				Start: icsTimed(t, "2026-03-01T15:00:00-06:00"), End: icsTimed(t, "2026-03-01T16:00:00-06:00"),
				TimeZone: "America/Chicago", Status: StatusConfirmed, Created: created, Modified: modified,
				RRule: "FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4",
			},
			{
				UID: uidTokyoUntil, Kind: KindAppointment, Title: "Tokyo co-counsel call",
				Start: icsTimed(t, "2026-11-02T10:00:00+09:00"), End: icsTimed(t, "2026-11-02T11:00:00+09:00"),
				TimeZone: "Asia/Tokyo", Status: StatusConfirmed, Created: created, Modified: modified,
				RRule: "FREQ=DAILY;UNTIL=20261105T090000",
			},
			{
				UID: uidBiweekly, Kind: KindAppointment, Title: "Client check-in",
				Start: icsTimed(t, "2026-09-01T13:00:00-07:00"), End: icsTimed(t, "2026-09-01T13:30:00-07:00"),
				TimeZone: "America/Los_Angeles", Status: StatusConfirmed, Created: created, Modified: modified,
				RRule: "FREQ=WEEKLY;INTERVAL=2;COUNT=6",
			},
			{
				UID: uidBiweekly, Kind: KindAppointment, Title: "Client check-in",
				Start: icsTimed(t, "2026-09-15T13:00:00-07:00"), End: icsTimed(t, "2026-09-15T13:30:00-07:00"),
				TimeZone: "America/Los_Angeles", Status: StatusCancelled, Sequence: 1, Created: created,
				Modified:     icsTime(t, "2026-09-10T08:00:00Z"),
				RecurrenceID: icsTime(t, "2026-09-15T13:00:00-07:00"),
			},
			{
				UID: uidBiweekly, Kind: KindAppointment, Title: "Client check-in",
				Start: icsTimed(t, "2026-10-27T13:00:00-07:00"), End: icsTimed(t, "2026-10-27T13:30:00-07:00"),
				TimeZone: "America/Los_Angeles", Status: StatusCancelled, Sequence: 1, Created: created,
				Modified:     icsTime(t, "2026-11-01T08:00:00Z"),
				RecurrenceID: icsTime(t, "2026-10-27T13:00:00-07:00"),
			},
			{
				UID: uidGoneSeries, Kind: KindAppointment, Title: "Mediation sessions",
				Start: icsTimed(t, "2026-09-02T10:00:00-04:00"), End: icsTimed(t, "2026-09-02T12:00:00-04:00"),
				TimeZone: "America/New_York", Status: StatusCancelled, Sequence: 3, Created: created,
				Modified: icsTime(t, "2026-10-01T08:00:00Z"),
				RRule:    "FREQ=WEEKLY;COUNT=3",
			},
			{
				UID: uidGoneSeries, Kind: KindAppointment, Title: "Mediation session (moved)",
				Start: icsTimed(t, "2026-09-10T10:00:00-04:00"), End: icsTimed(t, "2026-09-10T12:00:00-04:00"),
				TimeZone: "America/New_York", Status: StatusConfirmed, Sequence: 1, Created: created,
				Modified:     icsTime(t, "2026-09-05T08:00:00Z"),
				RecurrenceID: icsTime(t, "2026-09-09T10:00:00-04:00"),
			},
		},
	}
}

// zonesFeedZones are zones whose VTIMEZONEs clients get wrong most easily: both hemispheres,
// 30- and 45-minute offsets and savings, Ireland's negative DST and a zone without DST. Zones
// whose future rules tzdata still revises (Morocco, Chile) are left to TestVTimezoneMatchesGo:
// a golden must not change when the machine's tzdata does.
var zonesFeedZones = []string{
	"America/New_York", "Europe/Dublin", "Australia/Sydney", "Australia/Lord_Howe",
	"Pacific/Chatham", "America/St_Johns", "Asia/Kolkata",
}

// zonesFeed has a hearing at noon local time on the day before and the day after every 2026
// transition of zonesFeedZones, plus New York hearings around the 2007 US rule change and a
// weekly Lord Howe series across both of its 2026 half-hour changes.
func zonesFeed(t testing.TB) Feed {
	modified := icsTime(t, "2025-12-01T00:00:00Z")
	noon := func(name string, d Date) Entry {
		loc := icsZone(t, name)
		start := time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, loc)
		return Entry{
			UID:  "zones-" + strings.ReplaceAll(strings.ToLower(name), "/", "-") + "-" + d.String() + "@docket",
			Kind: KindHearing, Title: "Hearing in " + name,
			Start: When{Date: d, Time: start}, End: When{Date: d, Time: start.Add(time.Hour)},
			TimeZone: name, Status: StatusConfirmed, Modified: modified,
		}
	}
	var entries []Entry
	for _, name := range zonesFeedZones {
		loc := icsZone(t, name)
		for _, tr := range zoneTransitions(loc, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)) {
			if tr.at.Year() != 2026 {
				continue
			}
			day := DateOf(tr.at.In(loc))
			entries = append(entries, noon(name, day.AddDays(-1)), noon(name, day.AddDays(1)))
		}
	}
	for _, d := range []string{"2006-03-20", "2006-04-10", "2007-03-05", "2007-03-20", "2007-10-30", "2007-11-06"} {
		day, err := ParseDate(d)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, noon("America/New_York", day))
	}
	lordHowe := noon("Australia/Lord_Howe", NewDate(2026, time.March, 23))
	lordHowe.UID, lordHowe.Kind, lordHowe.Title = "zones-lord-howe-weekly@docket", KindAppointment, "Weekly call, Lord Howe"
	lordHowe.RRule = "FREQ=WEEKLY;UNTIL=20261019"
	return Feed{Name: "Zones", Now: feedNow, Entries: append(entries, lordHowe)}
}
