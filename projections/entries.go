package projections

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/docket/docket/calendar"
)

// EntryUID returns the calendar UID of an item: stable for the item's life and never shared,
// since ids cannot contain the dots that separate the parts.
func EntryUID(caseID, kind, itemID string) string {
	return caseID + "." + kind + "." + itemID + "@docket"
}

// Entries returns the case's calendar entries in series form (one entry per series plus one
// per moved occurrence), sorted by UID for stable output.
func (c *Case) Entries() []calendar.Entry {
	var out []calendar.Entry
	for _, h := range c.Hearings {
		out = append(out, c.hearingEntry(h))
	}
	for _, a := range c.Appointments {
		out = append(out, c.appointmentEntries(a)...)
	}
	for _, f := range c.Filings {
		out = append(out, c.filingEntry(f))
	}
	for _, d := range c.Deadlines {
		out = append(out, c.deadlineEntry(d))
	}
	slices.SortFunc(out, func(a, b calendar.Entry) int {
		if n := strings.Compare(a.UID, b.UID); n != 0 {
			return n
		}
		return a.RecurrenceID.Compare(b.RecurrenceID)
	})
	return out
}

func (c *Case) base(kind, id, title string, rev int, created, modified time.Time) calendar.Entry {
	return calendar.Entry{
		UID: EntryUID(c.ID, kind, id), CaseID: c.ID, ItemID: id, Kind: kind, Title: title,
		TimeZone: c.Location().String(), Status: calendar.StatusConfirmed,
		Sequence: rev, Created: created.UTC(), Modified: modified.UTC(),
	}
}

func timed(t time.Time, loc *time.Location) calendar.When {
	t = t.In(loc)
	return calendar.When{Date: calendar.DateOf(t), Time: t}
}

func (c *Case) hearingEntry(h *Hearing) calendar.Entry {
	e := c.base(calendar.KindHearing, h.HearingID, h.Title, h.Revision, h.Created, h.Modified)
	loc := c.Location()
	e.Start, e.End = timed(h.Start, loc), timed(h.End, loc)
	e.Location = joinNonEmpty(", ", h.Location.Courtroom, h.Location.Address)
	e.Internal = h.Visibility == "internal"
	e.Parties = slices.Clone(h.Attendees)
	lines := c.caseLines()
	lines = appendNonEmpty(lines, "Hearing: ", h.Kind)
	lines = appendNonEmpty(lines, "Courtroom: ", h.Location.Courtroom)
	lines = appendNonEmpty(lines, "Address: ", h.Location.Address)
	lines = appendNonEmpty(lines, "Judge: ", h.Judge)
	lines = appendNonEmpty(lines, "Join: ", h.Location.URL)
	if h.Status == calendar.StatusCancelled {
		e.Status = calendar.StatusCancelled
		lines = appendNonEmpty(append(lines, "Cancelled."), "Reason: ", h.CancelReason)
	}
	e.Description = strings.Join(lines, "\n")
	return e
}

func (c *Case) appointmentEntries(a *Appointment) []calendar.Entry {
	e := c.base(calendar.KindAppointment, a.AppointmentID, a.Title, a.Revision, a.Created, a.Modified)
	loc := c.zoneOf(a)
	e.TimeZone = loc.String()
	e.Start, e.End = timed(a.Start, loc), timed(a.End, loc)
	e.Location = joinNonEmpty(", ", a.Location.Courtroom, a.Location.Address)
	e.Internal = a.Visibility == "internal"
	e.Parties = slices.Clone(a.Attendees)
	lines := c.caseLines()
	lines = appendNonEmpty(lines, "Appointment: ", a.Kind)
	lines = appendNonEmpty(lines, "Join: ", a.Location.URL)
	if a.Status == calendar.StatusCancelled {
		e.Status = calendar.StatusCancelled
	}
	e.Description = strings.Join(lines, "\n")
	out := []calendar.Entry{e}
	if a.RRule == "" {
		return out
	}
	out[0].RRule = a.RRule
	for _, x := range a.ExDates {
		out[0].ExDates = append(out[0].ExDates, x.In(loc))
	}
	for _, x := range a.Cancelled {
		out[0].ExDates = append(out[0].ExDates, x.In(loc))
	}
	slices.SortFunc(out[0].ExDates, time.Time.Compare)
	out[0].ExDates = slices.CompactFunc(out[0].ExDates, time.Time.Equal)
	keys := slices.Sorted(maps.Keys(a.Moved))
	for _, k := range keys {
		o := a.Moved[k]
		m := e
		m.ExDates, m.RRule = nil, ""
		m.RecurrenceID = o.Original.In(loc)
		m.Start, m.End = timed(o.Start, loc), timed(o.End, loc)
		m.Sequence, m.Modified = o.Revision, o.Modified.UTC()
		out = append(out, m)
	}
	return out
}

func (c *Case) filingEntry(f *Filing) calendar.Entry {
	e := c.base(calendar.KindFiling, f.FilingID, "Due: "+f.Title, f.Revision, f.Created, f.Modified)
	c.dueSpan(&e, f.Due)
	e.Internal = f.Visibility == "internal"
	e.Parties = slices.Clone(f.Responsible)
	lines := append(c.caseLines(), c.dueLine(f.Due))
	switch f.Status {
	case calendar.StatusCompleted:
		e.Title = "Filed: " + f.Title
		lines = append(lines, "Filed "+f.FiledAt.In(c.Location()).Format("Mon Jan 2, 2006 3:04 pm MST")+".")
	case StatusWithdrawn:
		e.Status = calendar.StatusCancelled
		lines = append(lines, "Withdrawn.")
	}
	e.Description = strings.Join(lines, "\n")
	return e
}

func (c *Case) deadlineEntry(d *Deadline) calendar.Entry {
	e := c.base(calendar.KindDeadline, d.DeadlineID, "Deadline: "+d.Title, d.Revision, d.Created, d.Modified)
	due := d.Effective()
	c.dueSpan(&e, due)
	e.Parties = c.partiesWithRoles(d.ResponsibleRoles)
	lines := append(c.caseLines(), c.dueLine(due), "Rule: "+d.Citation)
	if d.Overridden != nil {
		lines = append(lines, fmt.Sprintf("Set by court order (computed date was %s).", d.Due))
		lines = appendNonEmpty(lines, "Order: ", d.OverrideReason)
	}
	if !d.Extendable {
		lines = append(lines, "The court may not extend this time (Fed. R. Civ. P. 6(b)(2)).")
	}
	if len(d.Trace) > 0 {
		lines = append(lines, "How it was computed:")
		for _, s := range d.Trace {
			lines = append(lines, "- "+s)
		}
	}
	switch d.Status {
	case calendar.StatusCompleted:
		e.Title = "Done: " + d.Title
	case StatusSuperseded:
		e.Status = calendar.StatusCancelled
		lines = append(lines, "Superseded: the trigger no longer produces this deadline.")
	}
	e.Description = strings.Join(lines, "\n")
	return e
}

// dueSpan sets an item's span from its due value: a whole day for a date, an instant for a
// time.
func (c *Case) dueSpan(e *calendar.Entry, due calendar.When) {
	if due.AllDay() {
		e.Start = calendar.When{Date: due.Date}
		e.End = calendar.When{Date: due.Date.AddDays(1)}
		return
	}
	e.Start = timed(due.Time, c.Location())
	e.End = e.Start
}

func (c *Case) dueLine(due calendar.When) string {
	if due.AllDay() {
		return fmt.Sprintf("Due %s %s, by 11:59 pm court time (%s).", due.Date.Weekday(), due.Date, c.Location())
	}
	return "Due " + due.Time.In(c.Location()).Format("Mon 2006-01-02 3:04 pm MST") + " (court time)."
}

func (c *Case) caseLines() []string {
	lines := []string{"Case: " + c.DocketNumber + " — " + c.Title}
	if c.Court.Name != "" {
		lines = append(lines, "Court: "+c.Court.Name)
	}
	return lines
}

// partiesWithRoles returns the ids of the parties whose role is one of roles, sorted.
func (c *Case) partiesWithRoles(roles []string) []string {
	var out []string
	for id, p := range c.Parties {
		if slices.Contains(roles, p.Role) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

func appendNonEmpty(lines []string, label, v string) []string {
	if v == "" {
		return lines
	}
	return append(lines, label+v)
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(s string) bool { return s == "" }), sep)
}
