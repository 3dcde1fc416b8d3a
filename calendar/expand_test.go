package calendar

import (
	"slices"
	"testing"
	"time"
)

// weekly is a one-hour Tuesday 10:00 Los Angeles series starting 6 October 2026.
func weeklySeries(t *testing.T, rule string) Entry {
	return Entry{
		UID: "c-1-appointment-a-1@docket", Kind: KindAppointment, Title: "Status call",
		Start:    icsTimed(t, "2026-10-06T10:00:00-07:00"),
		End:      icsTimed(t, "2026-10-06T11:00:00-07:00"),
		TimeZone: "America/Los_Angeles", Status: StatusConfirmed,
		RRule:   rule,
		Parties: []string{"p-1", "p-2"},
	}
}

func occurrenceStarts(entries []Entry) []string {
	var out []string
	for _, e := range entries {
		if e.Start.AllDay() {
			out = append(out, e.Start.Date.String())
		} else {
			out = append(out, e.Start.Time.Format(time.RFC3339))
		}
	}
	return out
}

var (
	wideFrom = time.Date(2020, time.January, 1, 0, 0, 0, 0, time.UTC)
	wideTo   = time.Date(2040, time.January, 1, 0, 0, 0, 0, time.UTC)
)

func TestExpandCount(t *testing.T) {
	got := Expand([]Entry{weeklySeries(t, "FREQ=WEEKLY;COUNT=5")}, wideFrom, wideTo)
	want := []string{
		"2026-10-06T10:00:00-07:00", "2026-10-13T10:00:00-07:00", "2026-10-20T10:00:00-07:00",
		"2026-10-27T10:00:00-07:00",
		// US DST ends on 1 November: the wall clock stays at 10:00.
		"2026-11-03T10:00:00-08:00",
	}
	if s := occurrenceStarts(got); !slices.Equal(s, want) {
		t.Fatalf("Expand starts = %v; want %v", s, want)
	}
	for _, e := range got {
		if e.UID != "c-1-appointment-a-1@docket" || e.RRule != "" || e.ExDates != nil {
			t.Errorf("occurrence %+v: want the series UID and no RRULE or EXDATEs", e)
		}
		if !e.RecurrenceID.Equal(e.Start.Time) {
			t.Errorf("occurrence at %v has RecurrenceID %v; want its original start", e.Start.Time, e.RecurrenceID)
		}
		if d := e.End.Time.Sub(e.Start.Time); d != time.Hour {
			t.Errorf("occurrence at %v lasts %v; want 1h", e.Start.Time, d)
		}
		if loc := e.Start.Time.Location().String(); loc != "America/Los_Angeles" {
			t.Errorf("occurrence at %v is in %s; want the series zone", e.Start.Time, loc)
		}
	}
}

func TestExpandExDates(t *testing.T) {
	e := weeklySeries(t, "FREQ=WEEKLY;COUNT=4")
	// The same instant written in another offset still names the occurrence.
	e.ExDates = []time.Time{icsTime(t, "2026-10-13T17:00:00Z"), icsTime(t, "2026-12-01T10:00:00-08:00")}
	got := occurrenceStarts(Expand([]Entry{e}, wideFrom, wideTo))
	want := []string{"2026-10-06T10:00:00-07:00", "2026-10-20T10:00:00-07:00", "2026-10-27T10:00:00-07:00"}
	if !slices.Equal(got, want) {
		t.Fatalf("Expand starts = %v; want %v", got, want)
	}
}

func TestExpandOverride(t *testing.T) {
	series := weeklySeries(t, "FREQ=WEEKLY;COUNT=4")
	moved := series
	moved.RRule, moved.Title, moved.Sequence = "", "Status call (moved)", 1
	moved.RecurrenceID = icsTime(t, "2026-10-13T10:00:00-07:00")
	moved.Start = icsTimed(t, "2026-10-15T14:00:00-07:00")
	moved.End = icsTimed(t, "2026-10-15T15:00:00-07:00")
	entries := []Entry{moved, series} // overrides may come first

	got := Expand(entries, wideFrom, wideTo)
	want := []string{"2026-10-06T10:00:00-07:00", "2026-10-15T14:00:00-07:00", "2026-10-20T10:00:00-07:00", "2026-10-27T10:00:00-07:00"}
	if s := occurrenceStarts(got); !slices.Equal(s, want) {
		t.Fatalf("Expand starts = %v; want %v", s, want)
	}
	if got[1].Title != "Status call (moved)" || !got[1].RecurrenceID.Equal(moved.RecurrenceID) {
		t.Errorf("moved occurrence = %+v; want the override with its RecurrenceID", got[1])
	}

	// The window holds the original start but not where it moved: nothing shows.
	from, to := icsTime(t, "2026-10-13T00:00:00-07:00"), icsTime(t, "2026-10-14T00:00:00-07:00")
	if got := Expand(entries, from, to); len(got) != 0 {
		t.Errorf("Expand(%v, %v) = %v; want nothing: the occurrence moved away", from, to, occurrenceStarts(got))
	}
	// The window holds where it moved to but not the original start: the override shows.
	from, to = icsTime(t, "2026-10-15T00:00:00-07:00"), icsTime(t, "2026-10-16T00:00:00-07:00")
	if got := occurrenceStarts(Expand(entries, from, to)); !slices.Equal(got, []string{"2026-10-15T14:00:00-07:00"}) {
		t.Errorf("Expand(%v, %v) = %v; want the moved occurrence", from, to, got)
	}
}

func TestExpandWindow(t *testing.T) {
	e := weeklySeries(t, "FREQ=WEEKLY;COUNT=4")
	tests := []struct {
		name     string
		from, to string
		want     int
	}{
		{"all", "2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", 4},
		{"to is exclusive", "2026-10-01T00:00:00Z", "2026-10-13T17:00:00Z", 1},
		{"an occurrence under way at from counts", "2026-10-13T17:30:00Z", "2026-10-14T00:00:00Z", 1},
		{"an occurrence ending at from does not", "2026-10-13T18:00:00Z", "2026-10-20T17:00:00Z", 0},
		{"empty window", "2026-10-13T17:00:00Z", "2026-10-13T17:00:00Z", 0},
		{"reversed window", "2026-11-01T00:00:00Z", "2026-10-01T00:00:00Z", 0},
	}
	for _, tc := range tests {
		if got := Expand([]Entry{e}, icsTime(t, tc.from), icsTime(t, tc.to)); len(got) != tc.want {
			t.Errorf("%s: Expand(%s, %s) = %v; want %d occurrences", tc.name, tc.from, tc.to, occurrenceStarts(got), tc.want)
		}
	}
}

func TestExpandCaps(t *testing.T) {
	daily := weeklySeries(t, "FREQ=DAILY")
	got := Expand([]Entry{daily}, wideFrom, wideTo)
	if len(got) != MaxOccurrences {
		t.Errorf("a daily rule without end over 20 years gave %d occurrences; want the cap %d", len(got), MaxOccurrences)
	}
	forever := weeklySeries(t, "FREQ=WEEKLY")
	got = Expand([]Entry{forever}, wideFrom, wideTo)
	limit := forever.Start.Time.Add(MaxSeriesSpan)
	if len(got) < 250 || got[len(got)-1].Start.Time.After(limit) {
		t.Errorf("a weekly rule without end gave %d occurrences ending %v; want about five years, none after %v",
			len(got), got[len(got)-1].Start.Time, limit)
	}
	// Far past the cap nothing is expanded, and asking does not hang.
	if got := Expand([]Entry{forever}, time.Date(2035, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC)); len(got) != 0 {
		t.Errorf("Expand beyond MaxSeriesSpan = %d occurrences; want 0", len(got))
	}
	// COUNT is honoured when it ends first.
	if got := Expand([]Entry{weeklySeries(t, "FREQ=DAILY;COUNT=3")}, wideFrom, wideTo); len(got) != 3 {
		t.Errorf("COUNT=3 gave %d occurrences", len(got))
	}
}

func TestExpandRuleWithoutEnd(t *testing.T) {
	e := weeklySeries(t, "FREQ=WEEKLY;BYDAY=TU,TH")
	from, to := icsTime(t, "2027-06-01T00:00:00-07:00"), icsTime(t, "2027-06-15T00:00:00-07:00")
	got := occurrenceStarts(Expand([]Entry{e}, from, to))
	want := []string{
		"2027-06-01T10:00:00-07:00", "2027-06-03T10:00:00-07:00",
		"2027-06-08T10:00:00-07:00", "2027-06-10T10:00:00-07:00",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("Expand starts = %v; want %v", got, want)
	}
}

func TestExpandUntil(t *testing.T) {
	tokyo := func(rule string) Entry {
		return Entry{
			UID: "c-1-appointment-tokyo@docket", Title: "Call",
			Start:    icsTimed(t, "2026-11-02T10:00:00+09:00"),
			End:      icsTimed(t, "2026-11-02T11:00:00+09:00"),
			TimeZone: "Asia/Tokyo", RRule: rule,
		}
	}
	tests := []struct {
		rule string
		want int
	}{
		// A local UNTIL is in the series' zone: 09:00 in Tokyo is before the 10:00 call.
		{"FREQ=DAILY;UNTIL=20261105T090000", 3},
		// A UTC UNTIL means what it says: 09:00Z is 18:00 in Tokyo.
		{"FREQ=DAILY;UNTIL=20261105T090000Z", 4},
		// A bare date includes that whole day in the series' zone.
		{"FREQ=DAILY;UNTIL=20261105", 4},
		{"rrule:freq=daily;until=20261104", 3},
	}
	for _, tc := range tests {
		if got := Expand([]Entry{tokyo(tc.rule)}, wideFrom, wideTo); len(got) != tc.want {
			t.Errorf("Expand(%s) = %v; want %d occurrences", tc.rule, occurrenceStarts(got), tc.want)
		}
	}
}

func TestExpandAllDaySeries(t *testing.T) {
	chicago := icsZone(t, "America/Chicago")
	e := Entry{
		UID: "c-1-deadline-monthly@docket", Kind: KindDeadline, Title: "Report due",
		Start: icsDate(t, "2026-01-31"), End: icsDate(t, "2026-02-01"),
		TimeZone: "America/Chicago", RRule: "FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=5",
		ExDates: []time.Time{time.Date(2026, time.March, 31, 0, 0, 0, 0, chicago)},
	}
	moved := e
	moved.RRule, moved.ExDates = "", nil
	moved.RecurrenceID = time.Date(2026, time.April, 30, 0, 0, 0, 0, chicago)
	moved.Start, moved.End = icsDate(t, "2026-05-01"), icsDate(t, "2026-05-02")

	got := Expand([]Entry{e, moved}, wideFrom, wideTo)
	want := []string{"2026-01-31", "2026-02-28", "2026-05-01", "2026-05-31"}
	if s := occurrenceStarts(got); !slices.Equal(s, want) {
		t.Fatalf("Expand starts = %v; want %v", s, want)
	}
	for _, occ := range got {
		if !occ.Start.AllDay() || occ.End.Date != occ.Start.Date.AddDays(1) {
			t.Errorf("occurrence %v–%v; want all-day with the next day as exclusive end", occ.Start, occ.End)
		}
	}
	if rid := got[1].RecurrenceID; DateOf(rid) != NewDate(2026, time.February, 28) {
		t.Errorf("RecurrenceID = %v; want 28 February", rid)
	}
	// An all-day entry runs midnight to midnight in its zone: 1 May 04:59Z is still 30 April
	// in Chicago.
	from, to := icsTime(t, "2026-05-01T00:00:00Z"), icsTime(t, "2026-05-01T04:59:00Z")
	if got := Expand([]Entry{e, moved}, from, to); len(got) != 0 {
		t.Errorf("Expand(%v, %v) = %v; want nothing before midnight in Chicago", from, to, occurrenceStarts(got))
	}
}

func TestExpandSingleEntries(t *testing.T) {
	hearing := Entry{
		UID: "c-1-hearing-h-1@docket", Start: icsTimed(t, "2026-10-30T09:30:00-04:00"),
		End: icsTimed(t, "2026-10-30T10:30:00-04:00"), TimeZone: "America/New_York",
	}
	deadline := Entry{UID: "c-1-deadline-d-1@docket", Start: icsTimed(t, "2026-10-30T17:00:00Z"), TimeZone: "UTC"}
	filing := Entry{UID: "c-1-filing-f-1@docket", Start: icsDate(t, "2026-10-30"), TimeZone: "America/New_York"}
	badRule := hearing
	badRule.UID, badRule.RRule = "c-1-hearing-bad@docket", "FREQ=HOURLY"

	tests := []struct {
		from, to string
		want     []string
	}{
		{"2026-10-30T00:00:00Z", "2026-10-31T00:00:00Z", []string{filing.UID, badRule.UID, hearing.UID, deadline.UID}},
		{"2026-10-30T14:00:00Z", "2026-10-30T14:01:00Z", []string{filing.UID, badRule.UID, hearing.UID}},
		{"2026-10-30T14:30:00Z", "2026-10-30T17:00:00Z", []string{filing.UID}},
		{"2026-10-30T17:00:00Z", "2026-10-30T17:00:01Z", []string{filing.UID, deadline.UID}},
		{"2026-10-31T03:59:00Z", "2026-10-31T05:00:00Z", []string{filing.UID}},
		{"2026-10-31T04:00:00Z", "2026-10-31T05:00:00Z", nil},
	}
	for _, tc := range tests {
		var got []string
		for _, e := range Expand([]Entry{deadline, hearing, filing, badRule}, icsTime(t, tc.from), icsTime(t, tc.to)) {
			got = append(got, e.UID)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Expand(%s, %s) = %v; want %v", tc.from, tc.to, got, tc.want)
		}
	}
}

func TestExpandLeavesInputAlone(t *testing.T) {
	e := weeklySeries(t, "FREQ=WEEKLY;COUNT=3")
	e.ExDates = []time.Time{icsTime(t, "2026-10-13T10:00:00-07:00")}
	in := []Entry{e}
	got := Expand(in, wideFrom, wideTo)
	got[0].Parties[0] = "changed"
	if in[0].Parties[0] != "p-1" || got[1].Parties[0] != "p-1" || len(in[0].ExDates) != 1 || in[0].RRule == "" {
		t.Errorf("Expand shares or changes its input: %+v", in[0])
	}
}

func TestExpandSortsStably(t *testing.T) {
	a := weeklySeries(t, "FREQ=WEEKLY;COUNT=2")
	b := a
	b.UID = "c-1-appointment-a-0@docket"
	c := Entry{UID: "c-0-hearing@docket", Start: icsTimed(t, "2026-10-06T09:00:00-07:00"), TimeZone: "America/Los_Angeles"}
	got := Expand([]Entry{a, b, c}, wideFrom, wideTo)
	var uids []string
	for _, e := range got {
		uids = append(uids, e.UID)
	}
	want := []string{c.UID, b.UID, a.UID, b.UID, a.UID}
	if !slices.Equal(uids, want) {
		t.Errorf("Expand order = %v; want %v", uids, want)
	}
}
