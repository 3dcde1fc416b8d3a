package calendar

import (
	"strconv"
	"testing"
	"time"

	"github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"
)

// vtimezoneOffset evaluates a VTIMEZONE at the instant at the way RFC 5545 clients do: the
// tzObservance with the latest onset at or before at gives the offset and the name.
func vtimezoneOffset(t *testing.T, tz *ical.Component, at time.Time) (int, string) {
	t.Helper()
	tzid, _ := tz.Props.Text(ical.PropTimezoneID)
	var best time.Time
	offset, name, found := 0, "", false
	for _, c := range tz.Children {
		from := parseUTCOffset(t, c.Props.Get(ical.PropTimezoneOffsetFrom).Value)
		to := parseUTCOffset(t, c.Props.Get(ical.PropTimezoneOffsetTo).Value)
		tzname, _ := c.Props.Text(ical.PropTimezoneName)
		// Onsets are wall-clock times in the offset they end, held as UTC times.
		wall, err := time.Parse(localDateTimeLayout, c.Props.Get(ical.PropDateTimeStart).Value)
		if err != nil {
			t.Fatalf("VTIMEZONE %s DTSTART: %v", tzid, err)
		}
		fromDur := time.Duration(from) * time.Second
		onsets := []time.Time{wall}
		if rr := c.Props.Get(ical.PropRecurrenceRule); rr != nil {
			opt, err := rrule.StrToROption(rr.Value)
			if err != nil {
				t.Fatalf("VTIMEZONE %s RRULE %q: %v", tzid, rr.Value, err)
			}
			opt.Dtstart = wall
			if !opt.Until.IsZero() {
				opt.Until = opt.Until.Add(fromDur) // UNTIL is UTC; compare it as a wall clock
			}
			r, err := rrule.NewRRule(*opt)
			if err != nil {
				t.Fatal(err)
			}
			onsets = r.Between(wall, at.Add(fromDur).Add(time.Second), true)
		}
		for _, o := range onsets {
			if inst := o.Add(-fromDur); !inst.After(at) && (!found || inst.After(best)) {
				best, offset, name, found = inst, to, tzname, true
			}
		}
	}
	if !found {
		t.Fatalf("VTIMEZONE %s has no tzObservance in force at %v", tzid, at)
	}
	return offset, name
}

func parseUTCOffset(t *testing.T, s string) int {
	t.Helper()
	if len(s) != 5 && len(s) != 7 || s[0] != '+' && s[0] != '-' {
		t.Fatalf("bad UTC-OFFSET %q", s)
	}
	n := func(i int) int {
		v, err := strconv.Atoi(s[i : i+2])
		if err != nil {
			t.Fatalf("bad UTC-OFFSET %q", s)
		}
		return v
	}
	sec := n(1)*3600 + n(3)*60
	if len(s) == 7 {
		sec += n(5)
	}
	if s[0] == '-' {
		sec = -sec
	}
	return sec
}

func tzZone(t *testing.T, name string) zone {
	t.Helper()
	z, err := loadZone(name)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func tzYear(y int) time.Time { return time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC) }

// TestVTimezoneMatchesGo evaluates generated VTIMEZONEs like a client would and compares them
// with Go's tz data every 17 hours across the span (so every hour of the day comes up) and a
// second either side of every transition: zones of both hemispheres, half-hour and 45-minute offsets, Ireland's negative
// DST, rule changes (US 2007, Russia 2011 and 2014), DST abolished (Brazil 2019, Iran 2022,
// Samoa 2021), Ramadan breaks (Morocco) and zones without DST.
func TestVTimezoneMatchesGo(t *testing.T) {
	tests := []struct {
		zone     string
		from, to time.Time
	}{
		{"America/Los_Angeles", tzYear(2025), tzYear(2029)},
		{"America/New_York", tzYear(2005), tzYear(2010)},
		{"America/Chicago", tzYear(2025), tzYear(2028)},
		{"Europe/London", tzYear(2025), tzYear(2029)},
		{"Europe/Dublin", tzYear(2024), tzYear(2029)},
		{"Europe/Berlin", tzYear(1995), tzYear(1998)},
		{"Europe/Moscow", tzYear(2009), tzYear(2016)},
		{"Australia/Sydney", tzYear(2024), tzYear(2029)},
		{"Australia/Lord_Howe", tzYear(2025), tzYear(2028)},
		{"Pacific/Chatham", tzYear(2025), tzYear(2028)},
		{"America/St_Johns", tzYear(2025), tzYear(2028)},
		{"America/Santiago", tzYear(2023), tzYear(2028)},
		{"America/Sao_Paulo", tzYear(2017), tzYear(2022)},
		{"Asia/Tehran", tzYear(2020), tzYear(2025)},
		{"Pacific/Apia", tzYear(2019), tzYear(2024)},
		{"Africa/Casablanca", tzYear(2024), tzYear(2028)},
		{"Asia/Gaza", tzYear(2024), tzYear(2028)},
		{"Antarctica/Troll", tzYear(2025), tzYear(2028)},
		{"America/Phoenix", tzYear(2025), tzYear(2028)},
		{"Asia/Tokyo", tzYear(2025), tzYear(2028)},
		{"Asia/Kolkata", tzYear(2025), tzYear(2028)},
		{"Asia/Kathmandu", tzYear(1985), tzYear(1988)},
	}
	for _, tc := range tests {
		t.Run(tc.zone, func(t *testing.T) {
			z := tzZone(t, tc.zone)
			tz := vtimezone(z, tc.from, tc.to)
			if _, err := encodeComponent(tz); err != nil {
				t.Fatalf("go-ical refuses the VTIMEZONE: %v", err)
			}
			check := func(at time.Time) {
				t.Helper()
				gotOff, gotName := vtimezoneOffset(t, tz, at)
				wantName, wantOff := at.In(z.loc).Zone()
				if gotOff != wantOff || gotName != wantName {
					t.Fatalf("at %v: VTIMEZONE says %s %s; Go says %s %s", at, utcOffset(gotOff), gotName, utcOffset(wantOff), wantName)
				}
			}
			for at := tc.from; !at.After(tc.to); at = at.Add(17 * time.Hour) {
				check(at)
			}
			for _, tr := range zoneTransitions(z.loc, tc.from, tc.to) {
				if !tr.at.Before(tc.from) {
					check(tr.at.Add(-time.Second))
					check(tr.at)
				}
			}
		})
	}
}

// TestVTimezoneOutlookShape checks the shape Outlook needs: it reads only the STANDARD and
// the DAYLIGHT with the latest DTSTART and applies their yearly rule to every year, so for a
// zone whose rules are stable those two must be open-ended RRULEs.
func TestVTimezoneOutlookShape(t *testing.T) {
	tests := []struct {
		zone     string
		from, to time.Time
		want     []string // per sub-component: name, DTSTART, RRULE
	}{
		{"America/Los_Angeles", tzYear(2025), tzYear(2028), []string{
			"STANDARD 20241103T020000 FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
			"DAYLIGHT 20250309T020000 FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
		}},
		{"Europe/London", tzYear(2025), tzYear(2028), []string{
			"STANDARD 20241027T020000 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
			"DAYLIGHT 20250330T010000 FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		}},
		{"Australia/Sydney", tzYear(2025), tzYear(2028), []string{
			"DAYLIGHT 20241006T020000 FREQ=YEARLY;BYMONTH=10;BYDAY=1SU",
			"STANDARD 20250406T030000 FREQ=YEARLY;BYMONTH=4;BYDAY=1SU",
		}},
		// The 2007 US change: the old rules end with UNTIL, the new ones go on.
		{"America/New_York", tzYear(2005), tzYear(2009), []string{
			"STANDARD 20041031T020000 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU;UNTIL=20061029T060000Z",
			"DAYLIGHT 20050403T020000 FREQ=YEARLY;BYMONTH=4;BYDAY=1SU;UNTIL=20060402T070000Z",
			"DAYLIGHT 20070311T020000 FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
			"STANDARD 20071104T020000 FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
		}},
		// Ireland's winter time is tzdata's daylight time; clients get the usual shape.
		{"Europe/Dublin", tzYear(2025), tzYear(2028), []string{
			"STANDARD 20241027T020000 FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
			"DAYLIGHT 20250330T010000 FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
		}},
		{"Asia/Tokyo", tzYear(2025), tzYear(2028), []string{"STANDARD 19700101T000000 "}},
	}
	for _, tc := range tests {
		t.Run(tc.zone, func(t *testing.T) {
			tz := vtimezone(tzZone(t, tc.zone), tc.from, tc.to)
			var got []string
			for _, c := range tz.Children {
				rule := ""
				if p := c.Props.Get(ical.PropRecurrenceRule); p != nil {
					rule = p.Value
				}
				got = append(got, c.Name+" "+c.Props.Get(ical.PropDateTimeStart).Value+" "+rule)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("sub-components:\n%q\nwant\n%q", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("sub-component %d = %q; want %q", i, got[i], tc.want[i])
				}
			}
		})
	}
	dublin := vtimezone(tzZone(t, "Europe/Dublin"), tzYear(2025), tzYear(2028))
	for _, c := range dublin.Children {
		if to := c.Props.Get(ical.PropTimezoneOffsetTo).Value; c.Name == ical.CompTimezoneDaylight && to != "+0100" {
			t.Errorf("Europe/Dublin DAYLIGHT goes to %s; want +0100", to)
		}
	}
}

func TestUTCOffset(t *testing.T) {
	tests := []struct {
		sec  int
		want string
	}{
		{0, "+0000"},
		{-8 * 3600, "-0800"},
		{5*3600 + 30*60, "+0530"},
		{12*3600 + 45*60, "+1245"},
		{-(3*3600 + 30*60), "-0330"},
		{3*3600 + 6*60 + 52, "+030652"},
	}
	for _, tc := range tests {
		if got := utcOffset(tc.sec); got != tc.want {
			t.Errorf("utcOffset(%d) = %q; want %q", tc.sec, got, tc.want)
		}
	}
}

func TestLoadZone(t *testing.T) {
	for _, name := range []string{"", "UTC", "Etc/UTC", "GMT", "Zulu"} {
		z, err := loadZone(name)
		if err != nil || !z.utc {
			t.Errorf("loadZone(%q) = %+v, %v; want UTC", name, z, err)
		}
	}
	for _, name := range []string{"Local", "Mars/Olympus_Mons", "../etc/passwd", "America/New York"} {
		if _, err := loadZone(name); err == nil {
			t.Errorf("loadZone(%q) succeeded; want an error", name)
		}
	}
	if z, err := loadZone("Europe/London"); err != nil || z.utc || z.name != "Europe/London" {
		t.Errorf("loadZone(Europe/London) = %+v, %v", z, err)
	}
}
