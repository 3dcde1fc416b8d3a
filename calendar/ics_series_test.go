package calendar

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-ical"
)

// renderEvents renders a feed of entries and returns its VEVENTs by UID, masters first.
func renderEvents(t *testing.T, now time.Time, entries ...Entry) map[string][]ical.Event {
	t.Helper()
	out, err := RenderFeed(Feed{Name: "t", Now: now, Entries: entries})
	if err != nil {
		t.Fatalf("RenderFeed: %v", err)
	}
	checkLines(t, out)
	events := map[string][]ical.Event{}
	for _, ev := range decodeFeed(t, out).Events() {
		uid, _ := ev.Props.Text(ical.PropUID)
		events[uid] = append(events[uid], ev)
	}
	return events
}

func propValue(ev ical.Event, name string) string {
	if p := ev.Props.Get(name); p != nil {
		return propText(p)
	}
	return ""
}

func TestRenderFeedCancelledRetention(t *testing.T) {
	hearing := func(uid string, modified time.Time, title string) Entry {
		return Entry{
			UID: uid, Kind: KindHearing, Title: title, TimeZone: "America/New_York",
			Start:  icsTimed(t, "2026-12-03T14:00:00-05:00"),
			Status: StatusCancelled, Sequence: 2, Modified: modified,
		}
	}
	entries := []Entry{
		hearing("recent", feedNow.Add(-24*time.Hour), "Settlement conference"),
		hearing("exactly-30-days", feedNow.Add(-CancelledRetention), "Settlement conference"),
		hearing("just-over", feedNow.Add(-CancelledRetention-time.Second), "Settlement conference"),
		hearing("prefixed", feedNow, "cancelled: Settlement conference"),
	}
	got := renderEvents(t, feedNow, entries...)
	for _, uid := range []string{"recent", "exactly-30-days", "prefixed"} {
		if len(got[uid]) != 1 {
			t.Errorf("%s: %d VEVENTs; want 1 (cancelled within 30 days is kept)", uid, len(got[uid]))
			continue
		}
		ev := got[uid][0]
		if s := propValue(ev, ical.PropSummary); s != "Cancelled: Settlement conference" {
			t.Errorf("%s SUMMARY = %q; want one Cancelled: prefix", uid, s)
		}
		if s := propValue(ev, ical.PropStatus); s != "CANCELLED" {
			t.Errorf("%s STATUS = %q", uid, s)
		}
		if s := propValue(ev, ical.PropTransparency); s != "TRANSPARENT" {
			t.Errorf("%s TRANSP = %q; a cancelled hearing must not block free/busy", uid, s)
		}
	}
	if len(got["just-over"]) != 0 {
		t.Errorf("an entry cancelled more than 30 days before Now is still in the feed")
	}
}

func TestRenderFeedDroppedOverrides(t *testing.T) {
	series := weeklySeries(t, "FREQ=WEEKLY;COUNT=4")
	series.Modified = feedNow.Add(-time.Hour)
	old := series
	old.RRule, old.Status, old.Modified = "", StatusCancelled, feedNow.Add(-40*24*time.Hour)
	old.RecurrenceID = icsTime(t, "2026-10-13T10:00:00-07:00")
	old.Start, old.End = icsTimed(t, "2026-10-13T10:00:00-07:00"), icsTimed(t, "2026-10-13T11:00:00-07:00")
	recent := old
	recent.Modified = feedNow.Add(-time.Hour)
	recent.RecurrenceID = icsTime(t, "2026-10-20T10:00:00-07:00")
	recent.Start, recent.End = icsTimed(t, "2026-10-20T10:00:00-07:00"), icsTimed(t, "2026-10-20T11:00:00-07:00")

	got := renderEvents(t, feedNow, series, old, recent)[series.UID]
	if len(got) != 2 {
		t.Fatalf("%d VEVENTs; want the series and the recently cancelled occurrence", len(got))
	}
	ex := got[0].Props.Values(ical.PropExceptionDates)
	if len(ex) != 1 || ex[0].Value != "20261013T100000" {
		t.Errorf("EXDATE = %+v; want the occurrence whose cancellation aged out, so it stays cancelled", ex)
	}

	// A series cancelled long ago goes with its overrides.
	gone := series
	gone.Status, gone.Modified = StatusCancelled, feedNow.Add(-40*24*time.Hour)
	moved := recent
	moved.Status = StatusConfirmed
	if got := renderEvents(t, feedNow, gone, moved); len(got) != 0 {
		t.Errorf("expired series left %d UIDs behind; want none", len(got))
	}
}

func TestRenderFeedSeriesRules(t *testing.T) {
	tests := []struct {
		name      string
		entry     func() Entry
		wantRule  string
		wantStart string
	}{
		{
			"local UNTIL becomes UTC",
			func() Entry { return weeklySeries(t, "FREQ=WEEKLY;UNTIL=20261027T235959") },
			"FREQ=WEEKLY;UNTIL=20261028T065959Z", "20261006T100000",
		},
		{
			"date UNTIL on a timed series includes that day",
			func() Entry { return weeklySeries(t, "FREQ=WEEKLY;UNTIL=20261103") },
			"FREQ=WEEKLY;UNTIL=20261104T075959Z", "20261006T100000",
		},
		{
			"lower case and prefix",
			func() Entry { return weeklySeries(t, "rrule:freq=weekly;count=3") },
			"FREQ=WEEKLY;COUNT=3", "20261006T100000",
		},
		{
			"a rule without end stops where expansion stops",
			func() Entry { return weeklySeries(t, "FREQ=WEEKLY") },
			"FREQ=WEEKLY;UNTIL=20311007T170000Z", "20261006T100000",
		},
		{
			"a COUNT beyond the span is capped too",
			func() Entry { return weeklySeries(t, "FREQ=WEEKLY;COUNT=1000") },
			"FREQ=WEEKLY;UNTIL=20311007T170000Z", "20261006T100000",
		},
		{
			"a DTSTART its rule does not produce moves to the first occurrence",
			func() Entry { return weeklySeries(t, "FREQ=WEEKLY;BYDAY=TH;COUNT=2") },
			"FREQ=WEEKLY;COUNT=2;BYDAY=TH", "20261008T100000",
		},
		{
			"all-day UNTIL stays a date",
			func() Entry {
				return Entry{UID: "x", Start: icsDate(t, "2026-10-01"), TimeZone: "America/Chicago", RRule: "FREQ=MONTHLY;UNTIL=20261231T235959"}
			},
			"FREQ=MONTHLY;UNTIL=20261231", "20261001",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := tc.entry()
			evs := renderEvents(t, feedNow, e)[e.UID]
			if len(evs) != 1 {
				t.Fatalf("%d VEVENTs", len(evs))
			}
			if got := evs[0].Props.Get(ical.PropRecurrenceRule).Value; got != tc.wantRule {
				t.Errorf("RRULE = %q; want %q", got, tc.wantRule)
			}
			if got := evs[0].Props.Get(ical.PropDateTimeStart).Value; got != tc.wantStart {
				t.Errorf("DTSTART = %q; want %q", got, tc.wantStart)
			}
		})
	}
}

func TestRenderFeedOverrideWinsOverExDate(t *testing.T) {
	series := weeklySeries(t, "FREQ=WEEKLY;COUNT=3")
	series.ExDates = []time.Time{icsTime(t, "2026-10-13T10:00:00-07:00"), icsTime(t, "2026-10-20T17:00:00Z"), icsTime(t, "2026-10-20T10:00:00-07:00")}
	moved := series
	moved.RRule, moved.ExDates = "", nil
	moved.RecurrenceID = icsTime(t, "2026-10-13T10:00:00-07:00")
	moved.Start, moved.End = icsTimed(t, "2026-10-14T10:00:00-07:00"), icsTimed(t, "2026-10-14T11:00:00-07:00")
	evs := renderEvents(t, feedNow, series, moved)[series.UID]
	ex := evs[0].Props.Values(ical.PropExceptionDates)
	if len(ex) != 1 || ex[0].Value != "20261020T100000" {
		t.Errorf("EXDATE = %+v; want only 20261020T100000, once: the moved occurrence is not excluded", ex)
	}
}

func TestRenderFeedLinksAndTransparency(t *testing.T) {
	base := Entry{UID: "u", Title: "t", Start: icsTimed(t, "2026-10-06T10:00:00-07:00"), TimeZone: "America/Los_Angeles"}
	tests := []struct {
		name      string
		change    func(*Entry)
		wantURL   string
		wantDesc  string
		wantTrans string
	}{
		{"hearing", func(e *Entry) { e.Kind = KindHearing }, "", "", "OPAQUE"},
		{"timed deadline", func(e *Entry) { e.Kind = KindDeadline }, "", "", "TRANSPARENT"},
		{"all-day filing", func(e *Entry) { e.Kind, e.Start = KindFiling, icsDate(t, "2026-10-06") }, "", "", "TRANSPARENT"},
		{
			"link appended to the description",
			func(e *Entry) { e.URL, e.Description = "https://docket.example/c/1", "Docket 1:26-cv-1" },
			"https://docket.example/c/1", "Docket 1:26-cv-1\n\nhttps://docket.example/c/1", "OPAQUE",
		},
		{
			"link already in the description",
			func(e *Entry) { e.URL, e.Description = "https://docket.example/c/1", "See https://docket.example/c/1" },
			"https://docket.example/c/1", "See https://docket.example/c/1", "OPAQUE",
		},
		{"relative link left out", func(e *Entry) { e.URL = "/cases/1" }, "", "", "OPAQUE"},
		{"link with a space left out", func(e *Entry) { e.URL = "https://docket.example/a b" }, "", "", "OPAQUE"},
	}
	for _, tc := range tests {
		e := base
		tc.change(&e)
		ev := renderEvents(t, feedNow, e)["u"][0]
		if got := propValue(ev, ical.PropURL); got != tc.wantURL {
			t.Errorf("%s: URL = %q; want %q", tc.name, got, tc.wantURL)
		}
		if got := propValue(ev, ical.PropDescription); got != tc.wantDesc {
			t.Errorf("%s: DESCRIPTION = %q; want %q", tc.name, got, tc.wantDesc)
		}
		if got := propValue(ev, ical.PropTransparency); got != tc.wantTrans {
			t.Errorf("%s: TRANSP = %q; want %q", tc.name, got, tc.wantTrans)
		}
	}
}

func TestRenderFeedErrors(t *testing.T) {
	good := weeklySeries(t, "FREQ=WEEKLY;COUNT=2")
	tests := []struct {
		name   string
		change func(*Entry)
	}{
		{"no UID", func(e *Entry) { e.UID = "" }},
		{"no start", func(e *Entry) { e.Start = When{} }},
		{"unknown zone", func(e *Entry) { e.TimeZone = "America/Gotham" }},
		{"machine-local zone", func(e *Entry) { e.TimeZone = "Local" }},
		{"hourly rule", func(e *Entry) { e.RRule = "FREQ=HOURLY" }},
		{"not a rule", func(e *Entry) { e.RRule = "every tuesday" }},
		{"rrule-go extension", func(e *Entry) { e.RRule = "FREQ=YEARLY;BYEASTER=0" }},
		{"bad UNTIL", func(e *Entry) { e.RRule = "FREQ=WEEKLY;UNTIL=soon" }},
	}
	for _, tc := range tests {
		e := good
		e.UID = "c-9-item@docket"
		tc.change(&e)
		out, err := RenderFeed(Feed{Entries: []Entry{e}})
		if err == nil {
			t.Errorf("%s: RenderFeed succeeded; want an error", tc.name)
			continue
		}
		if out != nil || !strings.Contains(err.Error(), `"`+e.UID+`"`) {
			t.Errorf("%s: RenderFeed error %q; want no output and the entry named", tc.name, err)
		}
	}
}

func TestRenderFeedEmptyIsValid(t *testing.T) {
	out, err := RenderFeed(Feed{})
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, out)
	cal := decodeFeed(t, out)
	if len(cal.Events()) != 0 || len(cal.Children) != 1 || cal.Children[0].Name != ical.CompTimezone {
		t.Errorf("empty feed has %d children; want only the UTC VTIMEZONE RFC 5545 needs as a component", len(cal.Children))
	}
	if cal.Props.Get("X-WR-CALNAME") != nil {
		t.Error("a feed without a name has X-WR-CALNAME")
	}
}

func TestRenderFeedDuplicatesInAnyOrder(t *testing.T) {
	a := weeklySeries(t, "FREQ=WEEKLY;COUNT=2")
	b := a
	b.Title, b.Sequence = "Status call (revised)", 1
	moved := a
	moved.RRule, moved.RecurrenceID = "", a.Start.Time.AddDate(0, 0, 7)
	first, err := RenderFeed(Feed{Entries: []Entry{a, b, moved}})
	if err != nil {
		t.Fatal(err)
	}
	second, err := RenderFeed(Feed{Entries: []Entry{moved, b, a}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(first, second) {
		t.Errorf("duplicate entries render differently by input order:\n%s", firstDifference(first, second))
	}
}
