package notify

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/projections"
)

// Layouts of times in messages; always in the recipient's zone, with the zone's abbreviation
// so that nobody has to guess which zone a time is in.
const (
	timeLayout = "Mon Jan 2, 2006 3:04 PM MST"
	dateLayout = "Mon Jan 2, 2006"
	clockOnly  = "3:04 PM MST"
)

// itemView is what a message says about an item.
type itemView struct {
	label    string // "Hearing", "Appointment", "Filing", "Deadline"
	title    string
	when     calendar.When
	where    string
	judge    string
	url      string
	citation string
}

// viewOf describes the item r is about, as the case shows it now; ok is false when the case
// no longer has it.
func viewOf(c *projections.Case, r Reminder) (v itemView, ok bool) {
	switch r.ItemKind {
	case calendar.KindHearing:
		h := c.Hearings[r.ItemID]
		if h == nil {
			return v, false
		}
		label := "Hearing"
		if h.Kind != "" {
			label += " (" + h.Kind + ")"
		}
		return itemView{label: label, title: h.Title, when: timedWhen(h.Start), where: place(h.Location.Courtroom, h.Location.Address),
			judge: h.Judge, url: h.Location.URL}, true
	case calendar.KindAppointment:
		a := c.Appointments[r.ItemID]
		if a == nil {
			return v, false
		}
		start := a.Start
		if r.Kind == KindReminder {
			start = r.ItemAt
		}
		return itemView{label: "Appointment", title: a.Title, when: timedWhen(start), where: place(a.Location.Courtroom, a.Location.Address),
			url: a.Location.URL}, true
	case calendar.KindFiling:
		f := c.Filings[r.ItemID]
		if f == nil {
			return v, false
		}
		return itemView{label: "Filing", title: f.Title, when: f.Due}, true
	case calendar.KindDeadline:
		d := c.Deadlines[r.ItemID]
		if d == nil {
			return v, false
		}
		return itemView{label: "Deadline", title: d.Title, when: d.Effective(), citation: d.Citation}, true
	}
	return v, false
}

func place(courtroom, address string) string {
	if courtroom != "" {
		courtroom = "Courtroom " + strings.TrimPrefix(courtroom, "Courtroom ")
	}
	return strings.Trim(courtroom+", "+address, ", ")
}

// formatWhen writes w for a reader in loc: an instant with its zone, a date as the day it is
// due by the end of (court time).
func formatWhen(w calendar.When, loc *time.Location) string {
	if w.IsZero() {
		return ""
	}
	if w.AllDay() {
		return w.Date.Midnight(time.UTC).Format(dateLayout) + " (by 11:59 PM court time)"
	}
	return w.Time.In(loc).Format(timeLayout)
}

// relativeDay says how far the item is from the reminder, in days of the reader's calendar.
func relativeDay(due time.Time, w calendar.When, loc *time.Location) string {
	day := w.Date
	if !w.AllDay() {
		day = calendar.DateOf(w.Time.In(loc))
	}
	switch n := calendar.DateOf(due.In(loc)).DaysUntil(day); {
	case n <= 0:
		return "today"
	case n == 1:
		return "tomorrow"
	default:
		return "in " + strconv.Itoa(n) + " days"
	}
}

// composeItem returns the message for a reminder or change notice, built from the case as it
// is now; ok is false when the party or the item has gone.
func composeItem(c *projections.Case, r Reminder, now time.Time) (Message, bool) {
	party := c.Parties[r.PartyID]
	v, ok := viewOf(c, r)
	if party == nil || !ok {
		return Message{}, false
	}
	loc := partyZone(c, party)
	m := Message{ID: r.ID, Kind: r.Kind, CaseID: c.ID, ItemID: r.ItemID, Recipient: recipientOf(party), DueAt: r.DueAt}
	caseLine := strings.TrimSpace(c.DocketNumber + " — " + c.Title)
	if r.Kind == KindChangeNotice && r.Change != nil {
		noticeText(&m, r, v, loc, caseLine)
	} else {
		reminderText(&m, r, v, loc, caseLine)
	}
	m.Details = appendDetail(m.Details, "Where", v.where)
	m.Details = appendDetail(m.Details, "Judge", v.judge)
	m.Details = appendDetail(m.Details, "Join", v.url)
	m.Details = appendDetail(m.Details, "Rule", v.citation)
	m.Details = appendDetail(m.Details, "Case", caseLine)
	m.Details = appendDetail(m.Details, "Court", c.Court.Name)
	m.ICS, m.ICSName = itemICS(c, r, now)
	m.Payload, _ = json.Marshal(r)
	return m, true
}

func reminderText(m *Message, r Reminder, v itemView, loc *time.Location, caseLine string) {
	when := formatWhen(v.when, loc)
	rel := relativeDay(r.DueAt, v.when, loc)
	if v.when.AllDay() || r.ItemKind == calendar.KindFiling || r.ItemKind == calendar.KindDeadline {
		m.Subject = fmt.Sprintf("Reminder: %s due %s", v.title, rel)
		m.Text = fmt.Sprintf("%s %q in %s is due %s.", v.label, v.title, caseLine, rel)
		m.SMS = fmt.Sprintf("Docket: %s due %s, %s (%s).", v.title, rel, when, caseLine)
	} else {
		m.Subject = fmt.Sprintf("Reminder: %s %s, %s", v.title, rel, v.when.Time.In(loc).Format(clockOnly))
		m.Text = fmt.Sprintf("%s %q in %s is %s.", v.label, v.title, caseLine, rel)
		m.SMS = fmt.Sprintf("Docket: %s %s, %s (%s). %s", v.title, rel, when, caseLine, v.where)
	}
	m.Details = append(m.Details, Detail{Label: "When", Value: when})
}

func noticeText(m *Message, r Reminder, v itemView, loc *time.Location, caseLine string) {
	ch := r.Change
	from, to := formatWhen(ch.From, loc), formatWhen(ch.To, loc)
	if ch.Cancelled {
		m.Subject = fmt.Sprintf("Cancelled: %s on %s", v.title, from)
		m.Text = fmt.Sprintf("%s %q in %s, set for %s, has been cancelled.", v.label, v.title, caseLine, from)
		m.SMS = fmt.Sprintf("Docket: %s on %s is CANCELLED (%s).", v.title, from, caseLine)
		m.Details = append(m.Details, Detail{Label: "Was", Value: from}, Detail{Label: "Now", Value: "Cancelled"})
	} else {
		m.Subject = fmt.Sprintf("Changed: %s is now %s", v.title, to)
		m.Text = fmt.Sprintf("%s %q in %s has moved from %s to %s.", v.label, v.title, caseLine, from, to)
		m.SMS = fmt.Sprintf("Docket: %s MOVED from %s to %s (%s).", v.title, from, to, caseLine)
		m.Details = append(m.Details, Detail{Label: "Was", Value: from}, Detail{Label: "Now", Value: to})
	}
	m.Details = appendDetail(m.Details, "Reason", ch.Reason)
}

func appendDetail(ds []Detail, label, value string) []Detail {
	if value == "" {
		return ds
	}
	return append(ds, Detail{Label: label, Value: value})
}

// itemICS renders the item as an iCalendar attachment with the same UID and SEQUENCE as the
// feeds, so a calendar that subscribes to a feed updates the same event. A series goes whole,
// with its moved occurrences. An item that cannot be rendered goes without attachment: the
// message matters more than the file.
func itemICS(c *projections.Case, r Reminder, now time.Time) ([]byte, string) {
	uid := projections.EntryUID(c.ID, r.ItemKind, r.ItemID)
	var entries []calendar.Entry
	for _, e := range c.Entries() {
		if e.UID == uid {
			entries = append(entries, e)
		}
	}
	if len(entries) == 0 {
		return nil, ""
	}
	b, err := calendar.RenderFeed(calendar.Feed{Name: strings.TrimSpace(c.DocketNumber + " " + c.Title), Now: now, Entries: entries})
	if err != nil {
		return nil, ""
	}
	return b, r.ItemKind + ".ics"
}

// agendaEntry is one item on a party's agenda.
type agendaEntry struct {
	kind, itemID string
	view         itemView
	at           time.Time
	caseID       string
	caseLine     string
}

// composeAgenda returns the agenda email for a party: the items of [from, to) in loc.
func composeAgenda(r Reminder, rcpt Recipient, loc *time.Location, from, to time.Time, entries []agendaEntry) Message {
	first, last := calendar.DateOf(from.In(loc)), calendar.DateOf(to.In(loc)).AddDays(-1)
	span := first.Midnight(time.UTC).Format("Mon Jan 2")
	if last.After(first) {
		span += " – " + last.Midnight(time.UTC).Format("Mon Jan 2")
	}
	noun := "items"
	if len(entries) == 1 {
		noun = "item"
	}
	m := Message{ID: r.ID, Kind: KindAgenda, ItemID: r.ItemID, Recipient: rcpt, DueAt: r.DueAt,
		Subject: fmt.Sprintf("Agenda for %s: %d %s", span, len(entries), noun),
		Text:    fmt.Sprintf("Your hearings, appointments, filings and deadlines for %s (times in %s):", span, loc)}
	days := last.After(first)
	type item struct {
		Kind   string        `json:"kind"`
		CaseID string        `json:"case_id"`
		ItemID string        `json:"item_id"`
		Title  string        `json:"title"`
		When   calendar.When `json:"when"`
		Where  string        `json:"where,omitempty"`
	}
	var payload []item
	for _, a := range entries {
		v := a.view
		var label string
		switch {
		case v.when.AllDay():
			label = "Due " + v.when.Date.Midnight(time.UTC).Format("Mon Jan 2")
		case days:
			label = v.when.Time.In(loc).Format("Mon Jan 2 3:04 PM")
		default:
			label = v.when.Time.In(loc).Format("3:04 PM")
		}
		value := v.label + ": " + v.title + " — " + a.caseLine
		if v.where != "" {
			value += " (" + v.where + ")"
		}
		m.Details = append(m.Details, Detail{Label: label, Value: value})
		payload = append(payload, item{Kind: a.kind, CaseID: a.caseID, ItemID: a.itemID, Title: v.title, When: v.when, Where: v.where})
	}
	m.Payload, _ = json.Marshal(struct {
		Reminder
		Items []item `json:"items"`
	}{r, payload})
	return m
}
