package calendar

import (
	"fmt"
	"time"
	_ "time/tzdata" // zones must resolve on machines without a zoneinfo database (scratch images, Windows)

	"github.com/emersion/go-ical"
)

// utcZoneNames are the zone names whose times are written in UTC ("Z") with no VTIMEZONE: they
// never had an offset other than zero, and every client knows UTC without a definition. An
// empty name means the entry's times carry no zone of their own, so UTC keeps the instants.
var utcZoneNames = map[string]bool{
	"": true, "UTC": true, "Etc/UTC": true, "UCT": true, "Etc/UCT": true,
	"Universal": true, "Etc/Universal": true, "Zulu": true, "Etc/Zulu": true,
	"GMT": true, "Etc/GMT": true, "GMT0": true, "Etc/GMT0": true, "GMT+0": true, "Etc/GMT+0": true,
	"GMT-0": true, "Etc/GMT-0": true, "Greenwich": true, "Etc/Greenwich": true,
}

// zone is a resolved IANA time zone as feeds write it.
type zone struct {
	name string
	loc  *time.Location
	utc  bool // written with "Z" and no VTIMEZONE
}

// loadZone resolves an IANA zone name. "Local" is refused: it would make the output depend on
// the machine that renders it.
func loadZone(name string) (zone, error) {
	if utcZoneNames[name] {
		return zone{name: "UTC", loc: time.UTC, utc: true}, nil
	}
	if name == "Local" {
		return zone{}, fmt.Errorf("time zone %q is not an IANA zone name", name)
	}
	loc, err := LoadLocation(name)
	if err != nil {
		return zone{}, fmt.Errorf("time zone %q is not an IANA zone name", name)
	}
	return zone{name: name, loc: loc}, nil
}

// zoneTransition is one change of a zone's offset, abbreviation or daylight flag.
type zoneTransition struct {
	at       time.Time // the instant the change takes effect, in UTC
	from, to int       // offsets east of UTC in seconds, before and after
	name     string    // abbreviation after the change
	daylight bool      // written as DAYLIGHT rather than STANDARD
}

// maxZoneTransitions bounds the walk over a zone's history, whatever span an entry asks for.
const maxZoneTransitions = 2000

// transitionAt describes the change that takes effect at the instant at, and reports whether
// anything a client can see changes there.
func transitionAt(loc *time.Location, at time.Time) (zoneTransition, bool) {
	before, after := at.Add(-time.Second).In(loc), at.In(loc)
	nameBefore, offBefore := before.Zone()
	name, off := after.Zone()
	daylight := after.IsDST()
	// tzdata marks Irish winter time as the daylight one (a negative saving). Outlook models
	// every zone as standard time plus a positive daylight bias, as Windows' own Dublin zone
	// does, so the higher offset is written as DAYLIGHT.
	switch {
	case daylight && off < offBefore:
		daylight = false
	case !daylight && off > offBefore && before.IsDST():
		daylight = true
	}
	changed := off != offBefore || name != nameBefore || after.IsDST() != before.IsDST()
	return zoneTransition{at: at.UTC(), from: offBefore, to: off, name: name, daylight: daylight}, changed
}

// zoneTransitions returns the transitions that shape loc over [from, to], starting with the one
// that began the period in effect at from, so every instant of the span has an observance.
func zoneTransitions(loc *time.Location, from, to time.Time) []zoneTransition {
	var out []zoneTransition
	if first, _ := from.In(loc).ZoneBounds(); first.IsZero() {
		// The period at from has been in force since the beginning of time: describe it from
		// 1970, the customary onset, or from the span's start if that is earlier.
		at := time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC)
		if from.Before(at) {
			at = from.UTC()
		}
		name, off := from.In(loc).Zone()
		at = at.Add(-time.Duration(off) * time.Second)
		out = append(out, zoneTransition{at: at, from: off, to: off, name: name, daylight: false})
	} else {
		tr, _ := transitionAt(loc, first)
		out = append(out, tr)
	}
	for t := from; len(out) < maxZoneTransitions; {
		_, next := t.In(loc).ZoneBounds()
		if next.IsZero() || next.After(to) {
			break
		}
		if tr, changed := transitionAt(loc, next); changed {
			out = append(out, tr)
		}
		t = next
	}
	return out
}

// tzObservance is one STANDARD or DAYLIGHT sub-component: a run of transitions that share their
// offsets, abbreviation, month, weekday and wall-clock time in consecutive years, so one
// yearly RRULE describes them all.
type tzObservance struct {
	daylight bool
	from, to int
	name     string
	// onsets are the wall-clock times of the transitions in the offset they end (what DTSTART
	// holds), kept as UTC times so their fields read as that wall clock.
	onsets []time.Time
	// ordinal is the n of "nth weekday of the month" shared by every onset, 0 if they differ;
	// last reports that every onset falls on the month's last such weekday.
	ordinal int
	last    bool
	// byDay is the chosen BYDAY ("2SU", "-1SU"), empty for a single onset with no rule;
	// until is the last onset as an instant when the rule stops, zero when it goes on.
	byDay string
	until time.Time
}

// tzObservanceKey is what the transitions of one tzObservance share.
type tzObservanceKey struct {
	daylight bool
	from, to int
	name     string
	month    time.Month
	weekday  time.Weekday
	clock    time.Duration
}

func (tr zoneTransition) wallClock() time.Time {
	return tr.at.Add(time.Duration(tr.from) * time.Second)
}

func tzWeekdayOrdinal(d time.Time) int { return (d.Day()-1)/7 + 1 }

func tzIsLastWeekday(d time.Time) bool { return d.Day()+7 > tzDaysInMonth(d.Year(), d.Month()) }

func tzDaysInMonth(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func tzClock(t time.Time) time.Duration {
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute + time.Duration(t.Second())*time.Second
}

// tzObservances groups transitions into STANDARD and DAYLIGHT sub-components with yearly rules.
// Outlook reads only the STANDARD and DAYLIGHT with the latest DTSTART and takes its yearly
// rule for every year (MS-OXCICAL 2.1.3.1.1.19), so the current rules must be RRULEs rather
// than lists of dates; a transition that fits no weekday rule is written on its own.
func tzObservances(loc *time.Location, transitions []zoneTransition) []*tzObservance {
	var out []*tzObservance
	open := map[tzObservanceKey]*tzObservance{}
	for _, tr := range transitions {
		wall := tr.wallClock()
		key := tzObservanceKey{tr.daylight, tr.from, tr.to, tr.name, wall.Month(), wall.Weekday(), tzClock(wall)}
		n, last := tzWeekdayOrdinal(wall), tzIsLastWeekday(wall)
		if g := open[key]; g != nil && g.onsets[len(g.onsets)-1].Year()+1 == wall.Year() && (g.ordinal == n || g.last && last) {
			g.onsets = append(g.onsets, wall)
			if g.ordinal != n {
				g.ordinal = 0
			}
			g.last = g.last && last
			continue
		}
		g := &tzObservance{daylight: tr.daylight, from: tr.from, to: tr.to, name: tr.name, onsets: []time.Time{wall}, ordinal: n, last: last}
		open[key] = g
		out = append(out, g)
	}
	for _, g := range out {
		g.chooseRule(loc)
	}
	return out
}

// chooseRule picks the BYDAY that reproduces the onsets. A rule the zone keeps following for
// the following years is left open, so series that outlive the feed's span still convert
// right; one that stops ends with UNTIL at its last onset.
func (g *tzObservance) chooseRule(loc *time.Location) {
	wd := tzWeekdayCodes[g.onsets[0].Weekday()]
	var candidates []string
	lastRule := "-1" + wd
	switch {
	case g.last && (g.ordinal == 0 || g.ordinal >= 4):
		// "Last Sunday" is how such rules are written (EU); a fixed 4th would be a coincidence.
		candidates = append(candidates, lastRule)
		if g.ordinal != 0 {
			candidates = append(candidates, fmt.Sprint(g.ordinal)+wd)
		}
	default:
		candidates = append(candidates, fmt.Sprint(g.ordinal)+wd)
		if g.last {
			candidates = append(candidates, lastRule)
		}
	}
	for _, c := range candidates {
		if g.holdsAfter(loc, c, 5) {
			g.byDay = c
			return
		}
	}
	if len(g.onsets) > 1 {
		g.byDay = candidates[0]
		last := g.onsets[len(g.onsets)-1]
		g.until = last.Add(-time.Duration(g.from) * time.Second)
	}
}

var tzWeekdayCodes = [...]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// holdsAfter reports whether loc really changes as the rule byDay says in each of the years
// after the last onset.
func (g *tzObservance) holdsAfter(loc *time.Location, byDay string, years int) bool {
	last := g.onsets[len(g.onsets)-1]
	for y := last.Year() + 1; y <= last.Year()+years; y++ {
		wall, ok := tzRuleDay(y, last.Month(), last.Weekday(), byDay)
		if !ok {
			return false
		}
		wall = wall.Add(tzClock(last))
		at := wall.Add(-time.Duration(g.from) * time.Second)
		if start, _ := at.In(loc).ZoneBounds(); !start.Equal(at) {
			return false
		}
		tr, _ := transitionAt(loc, at)
		if tr.from != g.from || tr.to != g.to || tr.name != g.name || tr.daylight != g.daylight {
			return false
		}
	}
	return true
}

// tzRuleDay returns the day BYDAY byDay ("2SU" or "-1SU") picks in the month, at midnight UTC.
func tzRuleDay(year int, month time.Month, wd time.Weekday, byDay string) (time.Time, bool) {
	if len(byDay) > 2 && byDay[:2] == "-1" {
		d := time.Date(year, month, tzDaysInMonth(year, month), 0, 0, 0, 0, time.UTC)
		return d.AddDate(0, 0, -((int(d.Weekday()) - int(wd) + 7) % 7)), true
	}
	n := int(byDay[0] - '0')
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	day := 1 + (int(wd)-int(first.Weekday())+7)%7 + 7*(n-1)
	if day > tzDaysInMonth(year, month) {
		return time.Time{}, false
	}
	return first.AddDate(0, 0, day-1), true
}

// vtimezone builds the VTIMEZONE for z that is correct at every instant of [from, to].
func vtimezone(z zone, from, to time.Time) *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.Set(textProp(ical.PropTimezoneID, z.name))
	// libical-based clients (Evolution, older Thunderbird) map this to their own zone.
	tz.Props.Set(textProp("X-LIC-LOCATION", z.name))
	obs := tzObservances(z.loc, zoneTransitions(z.loc, from, to))
	if g := obs[0]; g.byDay == "" && g.onsets[0].Year() < 1970 && from.Year() > 1970 {
		// A period in force since before 1970 (Tokyo since 1951, some zones since leaving local
		// mean time, with offsets in seconds) reads the same from 1970 with no history attached.
		g.onsets[0] = time.Date(1970, time.January, 1, 0, 0, 0, 0, time.UTC)
		g.from = g.to
	}
	for _, g := range obs {
		name := ical.CompTimezoneStandard
		if g.daylight {
			name = ical.CompTimezoneDaylight
		}
		c := ical.NewComponent(name)
		c.Props.Set(&ical.Prop{Name: ical.PropDateTimeStart, Params: ical.Params{}, Value: g.onsets[0].Format(localDateTimeLayout)})
		c.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetFrom, Params: ical.Params{}, Value: utcOffset(g.from)})
		c.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetTo, Params: ical.Params{}, Value: utcOffset(g.to)})
		c.Props.Set(textProp(ical.PropTimezoneName, g.name))
		if g.byDay != "" {
			rule := fmt.Sprintf("FREQ=YEARLY;BYMONTH=%d;BYDAY=%s", int(g.onsets[0].Month()), g.byDay)
			if !g.until.IsZero() {
				rule += ";UNTIL=" + g.until.Format(utcDateTimeLayout)
			}
			c.Props.Set(&ical.Prop{Name: ical.PropRecurrenceRule, Params: ical.Params{}, Value: rule})
		}
		tz.Children = append(tz.Children, c)
	}
	return tz
}

// utcOffset formats seconds east of UTC as RFC 5545 UTC-OFFSET ("-0800", "+0530", "+002130").
func utcOffset(sec int) string {
	sign := byte('+')
	if sec < 0 {
		sign, sec = '-', -sec
	}
	if s := sec % 60; s != 0 {
		return fmt.Sprintf("%c%02d%02d%02d", sign, sec/3600, sec/60%60, s)
	}
	return fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
}

// utcVTimezone is the definition of UTC written into an otherwise empty feed: RFC 5545 §3.6
// wants at least one component in a VCALENDAR, and a VTIMEZONE nothing refers to is inert.
func utcVTimezone() *ical.Component {
	tz := ical.NewComponent(ical.CompTimezone)
	tz.Props.Set(textProp(ical.PropTimezoneID, "UTC"))
	c := ical.NewComponent(ical.CompTimezoneStandard)
	c.Props.Set(&ical.Prop{Name: ical.PropDateTimeStart, Params: ical.Params{}, Value: "19700101T000000"})
	c.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetFrom, Params: ical.Params{}, Value: "+0000"})
	c.Props.Set(&ical.Prop{Name: ical.PropTimezoneOffsetTo, Params: ical.Params{}, Value: "+0000"})
	c.Props.Set(textProp(ical.PropTimezoneName, "UTC"))
	tz.Children = append(tz.Children, c)
	return tz
}

// iCalendar value layouts.
const (
	localDateTimeLayout = "20060102T150405"
	utcDateTimeLayout   = "20060102T150405Z"
	dateLayout          = "20060102"
)
