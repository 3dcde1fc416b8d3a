package calendar

import (
	"bytes"
	"encoding/json"
	"flag"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// goldenFeeds are the feeds whose renderings are kept under testdata/ as NAME.ics, each with
// NAME.counts.json: the occurrences a client must find, checked here against Expand and by
// .ci/icaljs/check.mjs against Mozilla's ical.js.
func goldenFeeds(t *testing.T) map[string]Feed {
	return map[string]Feed{
		"rich":   richFeed(t),
		"series": seriesFeed(t),
		"zones":  zonesFeed(t),
		"empty":  {Name: "Nothing scheduled", Now: feedNow},
	}
}

func TestRenderFeedGolden(t *testing.T) {
	for name, f := range goldenFeeds(t) {
		t.Run(name, func(t *testing.T) {
			got, err := RenderFeed(f)
			if err != nil {
				t.Fatalf("RenderFeed: %v", err)
			}
			path := filepath.Join("testdata", name+".ics")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./calendar -run TestRenderFeedGolden -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("RenderFeed(%s) differs from %s:\n%s", name, path, firstDifference(got, want))
			}
		})
	}
}

func firstDifference(got, want []byte) string {
	g, w := strings.Split(string(got), "\r\n"), strings.Split(string(want), "\r\n")
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			return "line " + strconv.Itoa(i+1) + ":\n got  " + g[i] + "\n want " + w[i]
		}
	}
	return "lengths differ: got " + strconv.Itoa(len(g)) + " lines, want " + strconv.Itoa(len(w))
}

func TestRenderFeedIsByteIdentical(t *testing.T) {
	for name, f := range goldenFeeds(t) {
		t.Run(name, func(t *testing.T) {
			first, err := RenderFeed(f)
			if err != nil {
				t.Fatal(err)
			}
			second, err := RenderFeed(f)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, second) {
				t.Fatal("two renders of the same feed differ")
			}
			// Projections hand entries over in map order; the bytes must not care.
			r := rand.New(rand.NewPCG(1, 2))
			for range 5 {
				shuffled := f
				shuffled.Entries = slices.Clone(f.Entries)
				r.Shuffle(len(shuffled.Entries), func(i, j int) {
					shuffled.Entries[i], shuffled.Entries[j] = shuffled.Entries[j], shuffled.Entries[i]
				})
				// A later poll within the retention period changes nothing either.
				shuffled.Now = f.Now.Add(36 * time.Hour)
				got, err := RenderFeed(shuffled)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, first) {
					t.Fatalf("render of shuffled entries differs:\n%s", firstDifference(got, first))
				}
			}
		})
	}
}

func TestRenderFeedLines(t *testing.T) {
	for name, f := range goldenFeeds(t) {
		t.Run(name, func(t *testing.T) {
			out, err := RenderFeed(f)
			if err != nil {
				t.Fatal(err)
			}
			checkLines(t, out)
		})
	}
}

// checkLines checks RFC 5545 §3.1: CRLF after every line and nowhere else, at most 75 octets
// a line, and valid UTF-8 in each physical line (no fold splits a character).
func checkLines(t *testing.T, out []byte) {
	t.Helper()
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Error("output does not end in CRLF")
	}
	lines := bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n"))
	for i, line := range lines {
		if bytes.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
		}
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i+1, len(line), line)
		}
		if !utf8.Valid(line) {
			t.Errorf("line %d is not valid UTF-8 on its own: %q", i+1, line)
		}
		if len(line) == 0 {
			t.Errorf("line %d is empty", i+1)
		}
	}
}

func decodeFeed(t *testing.T, out []byte) *ical.Calendar {
	t.Helper()
	cal, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
	if err != nil {
		t.Fatalf("go-ical cannot decode the feed: %v", err)
	}
	return cal
}

func TestRenderFeedRoundTrip(t *testing.T) {
	f := richFeed(t)
	out, err := RenderFeed(f)
	if err != nil {
		t.Fatal(err)
	}
	cal := decodeFeed(t, out)
	events := cal.Events()
	// Ten entries: the hearing cancelled long ago is dropped; the moved occurrence is its
	// own VEVENT.
	if len(events) != 9 {
		t.Fatalf("decoded %d VEVENTs, want 9", len(events))
	}
	for prop, want := range map[string]string{
		ical.PropProductID:       "-//Docket//Docket Calendar//EN",
		ical.PropVersion:         "2.0",
		ical.PropCalendarScale:   "GREGORIAN",
		ical.PropMethod:          "PUBLISH",
		"X-WR-CALNAME":           f.Name,
		"X-WR-CALDESC":           f.Description,
		"X-PUBLISHED-TTL":        "PT1H",
		ical.PropRefreshInterval: "PT1H",
	} {
		p := cal.Props.Get(prop)
		if p == nil {
			t.Errorf("VCALENDAR has no %s", prop)
			continue
		}
		if got := propText(p); got != want {
			t.Errorf("%s = %q; want %q", prop, got, want)
		}
	}
	if got := cal.Props.Get(ical.PropRefreshInterval).Params.Get(ical.ParamValue); got != "DURATION" {
		t.Errorf("REFRESH-INTERVAL;VALUE=%q; want DURATION (RFC 7986)", got)
	}

	byUID := map[string][]ical.Event{}
	for _, ev := range events {
		uid, _ := ev.Props.Text(ical.PropUID)
		byUID[uid] = append(byUID[uid], ev)
	}
	if _, ok := byUID[uidExpired]; ok {
		t.Errorf("%s was cancelled more than 30 days before Now and must be dropped", uidExpired)
	}
	text := func(uid, prop string) string {
		t.Helper()
		evs := byUID[uid]
		if len(evs) == 0 {
			t.Fatalf("no VEVENT %s", uid)
		}
		p := evs[0].Props.Get(prop)
		if p == nil {
			t.Fatalf("%s has no %s", uid, prop)
		}
		return propText(p)
	}
	for _, tc := range []struct{ uid, prop, want string }{
		{uidLondonBefore, ical.PropSummary, longTitle},
		{uidNYBefore, ical.PropSummary, `Motion hearing: Smith, Jones; et al. \ discovery`},
		{uidNYBefore, ical.PropLocation, "Courtroom 12B, 500 Pearl St., New York, NY 10007"},
		{uidNYBefore, ical.PropDescription, "Docket 1:26-cv-0142 (S.D.N.Y.)\nJudge: Hon. A. Rivera\nBring exhibits A, B; C.\n\n" +
			"https://docket.example/cases/c-2026-0142/hearings/h-motion?tab=details&x=1,2;3"},
		{uidSeries, ical.PropDescription, `Dial-in: +1 555 0100, PIN 42; agenda in \\fileserver\cases\0142`},
		{uidCancelled, ical.PropSummary, "Cancelled: Settlement conference"},
		{uidCancelled, ical.PropStatus, "CANCELLED"},
		{uidNYAfter, ical.PropStatus, "CONFIRMED"},
		{uidFiling, ical.PropTransparency, "TRANSPARENT"},
		{uidDeadline, ical.PropTransparency, "TRANSPARENT"},
		{uidNYAfter, ical.PropTransparency, "OPAQUE"},
		{uidNYAfter, ical.PropSequence, "4"},
		{uidCancelled, ical.PropSequence, "3"},
	} {
		if got := text(tc.uid, tc.prop); got != tc.want {
			t.Errorf("%s %s = %q; want %q", tc.uid, tc.prop, got, tc.want)
		}
	}
	if got := byUID[uidNYBefore][0].Props.Get(ical.PropURL).Value; got != "https://docket.example/cases/c-2026-0142/hearings/h-motion?tab=details&x=1,2;3" {
		t.Errorf("URL = %q", got)
	}

	// Times: zones and instants survive; DTSTAMP and LAST-MODIFIED are the entry's Modified.
	for _, e := range f.Entries {
		evs := byUID[e.UID]
		if e.UID == uidExpired || e.RRule != "" || !e.RecurrenceID.IsZero() {
			continue
		}
		ev := evs[0]
		start, err := ev.DateTimeStart(nil)
		if err != nil {
			t.Fatalf("%s DTSTART: %v", e.UID, err)
		}
		if e.Start.AllDay() {
			if p := ev.Props.Get(ical.PropDateTimeStart); p.ValueType() != ical.ValueDate || p.Value != "20261201" {
				t.Errorf("%s DTSTART = %v; want VALUE=DATE:20261201", e.UID, p)
			}
			if p := ev.Props.Get(ical.PropDateTimeEnd); p.ValueType() != ical.ValueDate || p.Value != "20261202" {
				t.Errorf("%s DTEND = %v; want VALUE=DATE:20261202 (exclusive)", e.UID, p)
			}
		} else if !start.Equal(e.Start.Time) {
			t.Errorf("%s DTSTART = %v; want %v", e.UID, start, e.Start.Time)
		}
		if tzid := ev.Props.Get(ical.PropDateTimeStart).Params.Get("TZID"); !e.Start.AllDay() && e.TimeZone != "UTC" && tzid != e.TimeZone {
			t.Errorf("%s DTSTART TZID = %q; want %q", e.UID, tzid, e.TimeZone)
		}
		for _, prop := range []string{ical.PropDateTimeStamp, ical.PropLastModified} {
			if got := ev.Props.Get(prop).Value; got != e.Modified.UTC().Format("20060102T150405Z") {
				t.Errorf("%s %s = %s; want Modified %s", e.UID, prop, got, e.Modified)
			}
		}
	}
	if p := byUID[uidDeadline][0].Props.Get(ical.PropDateTimeStart); p.Value != "20261210T160000Z" || len(p.Params.Values("TZID")) != 0 {
		t.Errorf("UTC entry DTSTART = %+v; want 20261210T160000Z without TZID", p)
	}

	// The series: UNTIL in UTC, its EXDATE and its moved occurrence in the series' zone.
	var master, moved ical.Event
	for _, ev := range byUID[uidSeries] {
		if ev.Props.Get(ical.PropRecurrenceID) != nil {
			moved = ev
		} else {
			master = ev
		}
	}
	if master.Component == nil || moved.Component == nil {
		t.Fatalf("series %s: want a master and an override, got %d VEVENTs", uidSeries, len(byUID[uidSeries]))
	}
	if got := master.Props.Get(ical.PropRecurrenceRule).Value; got != "FREQ=WEEKLY;UNTIL=20261125T075959Z;BYDAY=TU" {
		t.Errorf("RRULE = %q; want the local UNTIL 20261124T235959 as UTC", got)
	}
	ex := master.Props.Values(ical.PropExceptionDates)
	if len(ex) != 1 || ex[0].Value != "20261020T100000" || ex[0].Params.Get("TZID") != "America/Los_Angeles" {
		t.Errorf("EXDATE = %+v; want one, TZID=America/Los_Angeles:20261020T100000", ex)
	}
	rid := moved.Props.Get(ical.PropRecurrenceID)
	if rid.Value != "20261110T100000" || rid.Params.Get("TZID") != "America/Los_Angeles" {
		t.Errorf("RECURRENCE-ID = %+v; want TZID=America/Los_Angeles:20261110T100000", rid)
	}
}

// propText returns a property's value, unescaped when it is TEXT.
func propText(p *ical.Prop) string {
	if text, err := p.Text(); err == nil {
		return text
	}
	return p.Value
}

func TestRenderFeedTZIDsHaveVTimezone(t *testing.T) {
	for name, f := range goldenFeeds(t) {
		t.Run(name, func(t *testing.T) {
			out, err := RenderFeed(f)
			if err != nil {
				t.Fatal(err)
			}
			cal := decodeFeed(t, out)
			defined := map[string]int{}
			for _, c := range cal.Children {
				if c.Name == ical.CompTimezone {
					tzid, _ := c.Props.Text(ical.PropTimezoneID)
					defined[tzid]++
				}
			}
			used := map[string]bool{}
			for _, c := range cal.Children {
				for _, props := range c.Props {
					for _, p := range props {
						if tzid := p.Params.Get("TZID"); tzid != "" {
							used[tzid] = true
							if defined[tzid] != 1 {
								t.Errorf("%s uses TZID %s, defined by %d VTIMEZONEs; want 1", p.Name, tzid, defined[tzid])
							}
						}
						if p.Name == ical.PropDateTimeStart && p.ValueType() != ical.ValueDate &&
							p.Params.Get("TZID") == "" && !strings.HasSuffix(p.Value, "Z") {
							t.Errorf("floating DTSTART %q: only all-day values may float", p.Value)
						}
					}
				}
			}
			for tzid := range defined {
				if !used[tzid] && len(cal.Events()) > 0 {
					t.Errorf("VTIMEZONE %s is not used", tzid)
				}
			}
		})
	}
}

func TestRenderFeedVTimezoneOffsetsAcrossDST(t *testing.T) {
	out, err := RenderFeed(richFeed(t))
	if err != nil {
		t.Fatal(err)
	}
	zones := map[string]*ical.Component{}
	for _, c := range decodeFeed(t, out).Children {
		if c.Name == ical.CompTimezone {
			tzid, _ := c.Props.Text(ical.PropTimezoneID)
			zones[tzid] = c
		}
	}
	if len(zones) != 3 {
		t.Fatalf("got VTIMEZONEs %v; want America/Los_Angeles, America/New_York, Europe/London (UTC needs none)", slices.Sorted(maps.Keys(zones)))
	}
	tests := []struct {
		zone   string
		at     string
		offset string
	}{
		// US DST ends on 1 November 2026, UK on 25 October 2026.
		{"America/Los_Angeles", "2026-10-27T17:00:00Z", "-0700"},
		{"America/Los_Angeles", "2026-11-03T18:00:00Z", "-0800"},
		{"America/Los_Angeles", "2026-11-01T08:59:59Z", "-0700"},
		{"America/Los_Angeles", "2026-11-01T09:00:00Z", "-0800"},
		{"America/New_York", "2026-10-30T13:30:00Z", "-0400"},
		{"America/New_York", "2026-11-05T14:30:00Z", "-0500"},
		{"America/New_York", "2027-03-14T06:59:59Z", "-0500"},
		{"America/New_York", "2027-03-14T07:00:00Z", "-0400"},
		{"Europe/London", "2026-10-23T09:00:00Z", "+0100"},
		{"Europe/London", "2026-10-27T10:00:00Z", "+0000"},
		{"Europe/London", "2026-10-25T00:59:59Z", "+0100"},
		{"Europe/London", "2026-10-25T01:00:00Z", "+0000"},
	}
	for _, tc := range tests {
		got, _ := vtimezoneOffset(t, zones[tc.zone], icsTime(t, tc.at))
		if utcOffset(got) != tc.offset {
			t.Errorf("VTIMEZONE %s at %s: offset %s; want %s", tc.zone, tc.at, utcOffset(got), tc.offset)
		}
	}
}

// goldenCounts is the shape of testdata/NAME.counts.json.
type goldenCounts struct {
	Window struct {
		From time.Time `json:"from"`
		To   time.Time `json:"to"`
	} `json:"window"`
	VEvents     int                 `json:"vevents"`
	Occurrences map[string]int      `json:"occurrences"`
	Starts      map[string][]string `json:"starts"`
}

// TestGoldenCountsMatchExpand checks the hand-written occurrence counts (which ical.js must
// also find in the goldens) against Expand, so the feed and the JSON calendar agree.
func TestGoldenCountsMatchExpand(t *testing.T) {
	for name, f := range goldenFeeds(t) {
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(filepath.Join("testdata", name+".counts.json"))
			if err != nil {
				t.Fatal(err)
			}
			var want goldenCounts
			if err := json.Unmarshal(raw, &want); err != nil {
				t.Fatal(err)
			}
			out, err := RenderFeed(f)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(decodeFeed(t, out).Events()); got != want.VEvents {
				t.Errorf("%d VEVENTs; counts file says %d", got, want.VEvents)
			}
			counts, starts := map[string]int{}, map[string][]string{}
			for _, e := range Expand(feedEntries(f.Entries, f.Now), want.Window.From, want.Window.To) {
				counts[e.UID]++
				label := e.Start.Date.String()
				if !e.Start.AllDay() {
					label = e.Start.Time.UTC().Format(time.RFC3339)
				}
				starts[e.UID] = append(starts[e.UID], label)
			}
			for uid := range counts {
				if _, ok := want.Occurrences[uid]; !ok {
					t.Errorf("Expand finds %d occurrences of %s; counts file has none", counts[uid], uid)
				}
			}
			for uid, n := range want.Occurrences {
				if counts[uid] != n {
					t.Errorf("Expand finds %d occurrences of %s; counts file says %d", counts[uid], uid, n)
				}
			}
			for uid, w := range want.Starts {
				got := slices.Sorted(slices.Values(starts[uid]))
				if !slices.Equal(got, slices.Sorted(slices.Values(w))) {
					t.Errorf("Expand starts of %s = %v; counts file says %v", uid, got, w)
				}
			}
		})
	}
}

// BenchmarkRenderFeed renders a 1,000-entry feed: hearings in three zones over two years and
// a weekly series in every tenth slot.
func BenchmarkRenderFeed(b *testing.B) {
	zones := []string{"America/Los_Angeles", "America/New_York", "Europe/London"}
	base := time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)
	var entries []Entry
	for i := range 1000 {
		loc, _ := time.LoadLocation(zones[i%3])
		start := base.Add(time.Duration(i) * 17 * time.Hour).In(loc)
		e := Entry{
			UID: "c-bench-hearing-" + strconv.Itoa(i) + "@docket", Kind: KindHearing,
			Title: longTitle, Location: "Courtroom 12B, 500 Pearl St., New York, NY 10007",
			Description: "Docket 1:26-cv-0142\nJudge: Hon. A. Rivera\nhttps://docket.example/c/1",
			Start:       When{Date: DateOf(start), Time: start}, End: When{Date: DateOf(start), Time: start.Add(time.Hour)},
			TimeZone: zones[i%3], Status: StatusConfirmed, Modified: base,
		}
		if i%10 == 0 {
			e.RRule = "FREQ=WEEKLY;COUNT=20"
		}
		entries = append(entries, e)
	}
	f := Feed{Name: "Bench", Now: base, Entries: entries}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RenderFeed(f); err != nil {
			b.Fatal(err)
		}
	}
}
