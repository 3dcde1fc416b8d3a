package calendar

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/emersion/go-ical"
)

// Feed is one iCalendar subscription: its name and description, the reference time and the
// entries it shows.
type Feed struct {
	// Name is the calendar's name in clients (X-WR-CALNAME).
	Name string
	// Description is the calendar's description (X-WR-CALDESC), left out when empty.
	Description string
	// Now is the reference time; it only decides which cancelled entries have been shown for
	// CancelledRetention and are dropped.
	Now time.Time
	// Entries are the items to show, series with their overrides, in any order.
	Entries []Entry
}

// ProductID names Docket as the producer of its feeds (PRODID).
const ProductID = "-//Docket//Docket Calendar//EN"

// CancelledRetention is how long after its last change a cancelled entry stays in feeds, with
// STATUS:CANCELLED and a "Cancelled: " summary, so every client sees the cancellation (Outlook
// ignores the status) before the entry disappears at a later refresh.
const CancelledRetention = 30 * 24 * time.Hour

// refreshInterval asks clients to poll hourly: Apple honours REFRESH-INTERVAL, classic Outlook
// X-PUBLISHED-TTL; Google polls on its own schedule whatever a feed says.
const refreshInterval = "PT1H"

// zoneSpanMargin is how far beyond its entries a VTIMEZONE stays correct, so a client that
// moves an occurrence a little, or shows the weeks around an entry, never leaves it.
const zoneSpanMargin = 366 * 24 * time.Hour

// RenderFeed renders f as a complete iCalendar (RFC 5545) stream that Outlook, Google, Apple
// Calendar, Thunderbird and ical.js accept: CRLF line ends, lines folded at 75 octets on UTF-8
// boundaries, a generated VTIMEZONE for every zone used, and a stable order, so the same
// entries always give byte-identical output. It fails on an entry it cannot render faithfully
// (no UID or start, an unknown time zone, an invalid RRULE), naming the entry.
func RenderFeed(f Feed) ([]byte, error) {
	entries := feedEntries(f.Entries, f.Now)
	r := feedRenderer{zones: map[string]zone{}, spans: map[string][2]time.Time{}, masters: map[string]Entry{}, moved: map[string][]time.Time{}}
	for _, e := range entries {
		if !e.RecurrenceID.IsZero() {
			r.moved[e.UID] = append(r.moved[e.UID], e.RecurrenceID)
		} else if cur, dup := r.masters[e.UID]; e.RRule != "" && (!dup || laterRevision(e, cur)) {
			r.masters[e.UID] = e
		}
	}
	type event struct {
		entry   Entry
		comp    *ical.Component
		encoded []byte
	}
	events := make([]*event, 0, len(entries))
	for _, e := range entries {
		comp, err := r.event(e)
		if err != nil {
			return nil, fmt.Errorf("render entry %q: %w", e.UID, err)
		}
		events = append(events, &event{entry: e, comp: comp})
	}
	var encodeErr error
	encoded := func(ev *event) []byte {
		if ev.encoded == nil {
			b, err := encodeComponent(ev.comp)
			if err != nil && encodeErr == nil {
				encodeErr = err
			}
			ev.encoded = b
		}
		return ev.encoded
	}
	slices.SortFunc(events, func(a, b *event) int {
		if c := cmp.Or(
			compareStart(a.entry, b.entry),
			cmp.Compare(a.entry.UID, b.entry.UID),
			a.entry.RecurrenceID.Compare(b.entry.RecurrenceID),
		); c != 0 {
			return c
		}
		// Only duplicates get this far; their bytes order them whatever the input order.
		return bytes.Compare(encoded(a), encoded(b))
	})
	if encodeErr != nil {
		return nil, fmt.Errorf("render feed: %w", encodeErr)
	}

	cal := ical.NewCalendar()
	cal.Props.Set(textProp(ical.PropProductID, ProductID))
	cal.Props.Set(textProp(ical.PropVersion, "2.0"))
	cal.Props.Set(textProp(ical.PropCalendarScale, "GREGORIAN"))
	cal.Props.Set(textProp(ical.PropMethod, "PUBLISH"))
	if name := cleanText(f.Name); name != "" {
		cal.Props.Set(textProp("X-WR-CALNAME", name))
	}
	if desc := cleanText(f.Description); desc != "" {
		cal.Props.Set(textProp("X-WR-CALDESC", desc))
	}
	// RFC 7986 requires the VALUE parameter here; go-ical's SetValueType would drop it.
	cal.Props.Set(&ical.Prop{Name: ical.PropRefreshInterval, Params: ical.Params{ical.ParamValue: {"DURATION"}}, Value: refreshInterval})
	cal.Props.Set(&ical.Prop{Name: "X-PUBLISHED-TTL", Params: ical.Params{}, Value: refreshInterval})

	names := make([]string, 0, len(r.spans))
	for name := range r.spans {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		span := r.spans[name]
		cal.Children = append(cal.Children, vtimezone(r.zones[name], span[0].Add(-zoneSpanMargin), span[1].Add(zoneSpanMargin)))
	}
	for _, ev := range events {
		cal.Children = append(cal.Children, ev.comp)
	}
	if len(cal.Children) == 0 {
		cal.Children = append(cal.Children, utcVTimezone())
	}
	var buf bytes.Buffer
	if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
		return nil, fmt.Errorf("render feed: %w", err)
	}
	return foldLines(buf.Bytes()), nil
}

// feedEntries drops the cancelled entries shown for longer than CancelledRetention before now.
// A dropped series takes its overrides along, so no orphaned occurrence lingers; a dropped
// cancelled override becomes an EXDATE of its series, so the occurrence does not come back.
func feedEntries(entries []Entry, now time.Time) []Entry {
	expired := func(e Entry) bool {
		return e.Status == StatusCancelled && now.Sub(e.Modified) > CancelledRetention
	}
	gone := map[string]bool{}
	for _, e := range entries {
		if e.RecurrenceID.IsZero() && expired(e) {
			gone[e.UID] = true
		}
	}
	excluded := map[string][]time.Time{}
	out := make([]Entry, 0, len(entries))
	for _, e := range entries {
		switch {
		case gone[e.UID]:
		case !e.RecurrenceID.IsZero() && expired(e):
			excluded[e.UID] = append(excluded[e.UID], e.RecurrenceID)
		default:
			out = append(out, e)
		}
	}
	for i, e := range out {
		if x := excluded[e.UID]; len(x) > 0 && e.RecurrenceID.IsZero() && e.RRule != "" {
			out[i].ExDates = slices.Concat(e.ExDates, x)
		}
	}
	return out
}

// laterRevision reports whether e is a later revision of the same item than cur, so that
// duplicates (which projections should not produce) resolve the same whatever their order.
func laterRevision(e, cur Entry) bool {
	return cmp.Or(
		cmp.Compare(e.Sequence, cur.Sequence),
		e.Modified.Compare(cur.Modified),
		cmp.Compare(e.TimeZone, cur.TimeZone),
		cmp.Compare(e.RRule, cur.RRule),
	) > 0
}

// feedRenderer holds what rendering one feed learns across its entries.
type feedRenderer struct {
	zones map[string]zone
	// spans are, per zone that needs a VTIMEZONE, the first and last instant written in it.
	spans map[string][2]time.Time
	// masters are the series by UID, moved the original starts of their overrides.
	masters map[string]Entry
	moved   map[string][]time.Time
}

func (r *feedRenderer) zone(name string) (zone, error) {
	if z, ok := r.zones[name]; ok {
		return z, nil
	}
	z, err := loadZone(name)
	if err != nil {
		return zone{}, err
	}
	r.zones[z.name] = z
	r.zones[name] = z
	return z, nil
}

// cover records that t is written in z, so z's VTIMEZONE must be right at t.
func (r *feedRenderer) cover(z zone, ts ...time.Time) {
	if z.utc {
		return
	}
	for _, t := range ts {
		span, ok := r.spans[z.name]
		if !ok {
			span = [2]time.Time{t, t}
		}
		if t.Before(span[0]) {
			span[0] = t
		}
		if t.After(span[1]) {
			span[1] = t
		}
		r.spans[z.name] = span
	}
}

// event renders one entry as a VEVENT.
func (r *feedRenderer) event(e Entry) (*ical.Component, error) {
	if e.UID == "" {
		return nil, fmt.Errorf("no UID")
	}
	if e.Start.IsZero() {
		return nil, fmt.Errorf("no start")
	}
	z, err := r.zone(e.TimeZone)
	if err != nil {
		return nil, err
	}
	allDay := e.Start.AllDay()
	ev := ical.NewComponent(ical.CompEvent)
	ev.Props.Set(textProp(ical.PropUID, cleanText(e.UID)))
	ev.Props.Set(utcProp(ical.PropDateTimeStamp, stamp(e)))
	if !e.Created.IsZero() {
		ev.Props.Set(utcProp(ical.PropCreated, e.Created))
	}
	if !e.Modified.IsZero() {
		ev.Props.Set(utcProp(ical.PropLastModified, e.Modified))
	}
	ev.Props.Set(&ical.Prop{Name: ical.PropSequence, Params: ical.Params{}, Value: strconv.Itoa(max(e.Sequence, 0))})

	summary, status := cleanText(e.Title), "CONFIRMED"
	cancelled := e.Status == StatusCancelled
	if cancelled {
		// Outlook shows cancelled events as normal ones; the prefix is what its users see.
		status, summary = "CANCELLED", cancelledPrefix+trimCancelledPrefix(summary)
	}
	ev.Props.Set(textProp(ical.PropSummary, summary))
	ev.Props.Set(textProp(ical.PropStatus, status))
	transp := "OPAQUE"
	if allDay || cancelled || e.Kind == KindFiling || e.Kind == KindDeadline {
		// Due dates and cancelled items must not block anyone's free/busy time.
		transp = "TRANSPARENT"
	}
	ev.Props.Set(textProp(ical.PropTransparency, transp))
	if loc := cleanText(e.Location); loc != "" {
		ev.Props.Set(textProp(ical.PropLocation, loc))
	}
	link := feedURL(e.URL)
	if desc := descriptionWithLink(cleanText(e.Description), link); desc != "" {
		ev.Props.Set(textProp(ical.PropDescription, desc))
	}
	if link != "" {
		ev.Props.Set(&ical.Prop{Name: ical.PropURL, Params: ical.Params{}, Value: link})
	}

	start, end := entrySpan(e, z.loc)
	if !e.RecurrenceID.IsZero() {
		// RECURRENCE-ID takes the series' DTSTART form and zone: ical.js (and so Thunderbird)
		// matches overrides to occurrences by their local time in that zone.
		mz, mAllDay := z, allDay
		if m, ok := r.masters[e.UID]; ok {
			if mz, err = r.zone(m.TimeZone); err != nil {
				return nil, err
			}
			mAllDay = m.Start.AllDay()
		}
		ev.Props.Set(r.when(ical.PropRecurrenceID, e.RecurrenceID, mz, mAllDay))
	} else if e.RRule != "" {
		s, err := parseSeries(e, z)
		if err != nil {
			return nil, fmt.Errorf("rrule %q: %w", e.RRule, err)
		}
		rule, first, last, err := s.feedRule()
		if err != nil {
			return nil, fmt.Errorf("rrule %q: %w", e.RRule, err)
		}
		length := end.Sub(start)
		if allDay {
			start, end = first, first.AddDate(0, 0, e.Start.Date.DaysUntil(allDayEnd(e)))
		} else {
			start, end = first, first.Add(length)
			r.cover(z, last.Add(length))
		}
		ev.Props.Set(&ical.Prop{Name: ical.PropRecurrenceRule, Params: ical.Params{}, Value: rule})
		for _, p := range r.exdates(e, z, allDay) {
			ev.Props.Add(p)
		}
	}
	if allDay {
		ev.Props.Set(dateProp(ical.PropDateTimeStart, DateOf(start)))
		ev.Props.Set(dateProp(ical.PropDateTimeEnd, DateOf(end)))
		return ev, nil
	}
	ev.Props.Set(r.when(ical.PropDateTimeStart, start, z, false))
	if end.After(start) {
		ev.Props.Set(r.when(ical.PropDateTimeEnd, end, z, false))
	}
	return ev, nil
}

// exdates returns the EXDATE properties of the series e, one per cancelled occurrence
// (Google's own export style), leaving out occurrences an override moved: an override names
// its occurrence explicitly and wins.
func (r *feedRenderer) exdates(e Entry, z zone, allDay bool) []*ical.Prop {
	skip := map[int64]bool{}
	for _, t := range r.moved[e.UID] {
		skip[occurrenceKey(t, allDay)] = true
	}
	var props []*ical.Prop
	seen := map[string]bool{}
	for _, t := range e.ExDates {
		if skip[occurrenceKey(t, allDay)] {
			continue
		}
		p := r.when(ical.PropExceptionDates, t, z, allDay)
		if !seen[p.Value] {
			seen[p.Value] = true
			props = append(props, p)
		}
	}
	slices.SortFunc(props, func(a, b *ical.Prop) int { return cmp.Compare(a.Value, b.Value) })
	return props
}

// when writes t as a DATE (all-day), a UTC DATE-TIME ("Z") or a DATE-TIME with TZID, and
// records that z's VTIMEZONE must cover it.
func (r *feedRenderer) when(name string, t time.Time, z zone, allDay bool) *ical.Prop {
	if allDay {
		return dateProp(name, DateOf(t))
	}
	if z.utc {
		return utcProp(name, t)
	}
	r.cover(z, t)
	return &ical.Prop{Name: name, Params: ical.Params{"TZID": {z.name}}, Value: t.In(z.loc).Format(localDateTimeLayout)}
}

func utcProp(name string, t time.Time) *ical.Prop {
	return &ical.Prop{Name: name, Params: ical.Params{}, Value: t.UTC().Format(utcDateTimeLayout)}
}

func dateProp(name string, d Date) *ical.Prop {
	return &ical.Prop{Name: name, Params: ical.Params{ical.ParamValue: {"DATE"}}, Value: d.Midnight(time.UTC).Format(dateLayout)}
}

// stamp is DTSTAMP: the entry's last change, never the clock, so an unchanged entry renders
// the same bytes at every poll.
func stamp(e Entry) time.Time {
	switch {
	case !e.Modified.IsZero():
		return e.Modified
	case !e.Created.IsZero():
		return e.Created
	default:
		return time.Unix(0, 0)
	}
}

// encodeComponent encodes one component on its own, unfolded.
func encodeComponent(c *ical.Component) ([]byte, error) {
	var buf bytes.Buffer
	err := ical.NewEncoder(&buf).Encode(&ical.Calendar{Component: c})
	return buf.Bytes(), err
}
