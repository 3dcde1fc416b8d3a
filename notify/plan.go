package notify

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// Reminder statuses, as GET /v1/reminders filters by them.
const (
	// StatusPlanned is a reminder waiting for its time, or due and not yet sent.
	StatusPlanned = "planned"
	// StatusSent is a reminder whose reminder.sent outcome is recorded on the case.
	StatusSent = "sent"
	// StatusFailed is a reminder whose reminder.failed outcome is recorded on the case.
	StatusFailed = "failed"
	// StatusUndeliverable is a reminder for a channel the party has no usable address for.
	StatusUndeliverable = "undeliverable"
)

// Statuses lists every reminder status.
var Statuses = []string{StatusPlanned, StatusSent, StatusFailed, StatusUndeliverable}

// DefaultHorizon is how far ahead the occurrences of a recurring appointment are planned; the
// planner extends it daily, so it only has to exceed the longest offset.
const DefaultHorizon = 60 * day

// Reminder is one message the plan calls for: a reminder of an item, a change notice, or a
// daily agenda, for one party on one channel.
type Reminder struct {
	// ID is derived from what the reminder is about, so every instance plans the same id and
	// a reschedule (a new item revision) yields new ids. It is a valid Message.ID.
	ID           string `json:"reminder_id"`
	Kind         Kind   `json:"kind"`
	CaseID       string `json:"case_id,omitempty"`
	ItemID       string `json:"item_id"`
	ItemKind     string `json:"item_kind,omitempty"`
	ItemRevision int    `json:"item_revision"`
	// ItemAt is when the item starts or falls due (for an all-day item, the end of its day in
	// the court's zone); after it the reminder is pointless and is dropped.
	ItemAt time.Time `json:"item_at,omitzero"`
	// Occurrence is the original start of an occurrence of a recurring appointment.
	Occurrence time.Time `json:"occurrence,omitzero"`
	PartyID    string    `json:"party_id"`
	Channel    string    `json:"channel"`
	// Offset is how long before the item the rule asked for; At the local time it named.
	Offset Offset    `json:"offset"`
	At     string    `json:"at,omitempty"`
	DueAt  time.Time `json:"due_at"`
	Status string    `json:"status"`
	// Reason explains an undeliverable status or a time moved for quiet hours.
	Reason string `json:"reason,omitempty"`
	// Change is what a change notice reports.
	Change *Change `json:"change,omitempty"`
	// Attempts, ProviderID, Error and OutcomeAt come from the recorded outcome.
	Attempts   int       `json:"attempts,omitempty"`
	ProviderID string    `json:"provider_id,omitempty"`
	Error      string    `json:"error,omitempty"`
	OutcomeAt  time.Time `json:"outcome_at,omitzero"`
}

// Offset is how long before its item a reminder goes, written as reminder policies write it.
type Offset time.Duration

// String returns o as an ISO 8601 duration such as P7D, PT2H or PT0S.
func (o Offset) String() string {
	d := time.Duration(o)
	if d <= 0 {
		return "PT0S"
	}
	var b strings.Builder
	b.WriteString("P")
	if days := d / day; days > 0 {
		b.WriteString(strconv.FormatInt(int64(days), 10) + "D")
		d -= days * day
	}
	if d > 0 {
		b.WriteString("T")
		for _, u := range []struct {
			d time.Duration
			s string
		}{{time.Hour, "H"}, {time.Minute, "M"}, {time.Second, "S"}} {
			if n := d / u.d; n > 0 {
				b.WriteString(strconv.FormatInt(int64(n), 10) + u.s)
				d -= n * u.d
			}
		}
	}
	return b.String()
}

// MarshalText implements encoding.TextMarshaler.
func (o Offset) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// item is one upcoming thing reminders are about: a hearing, an occurrence of an
// appointment, a filing or a deadline.
type item struct {
	kind, id string
	revision int
	// moved is the revision of a moved occurrence, -1 for one that keeps its original time.
	moved      int
	occurrence time.Time
	// at is the start or due instant (for an all-day item, the end of its day, court time).
	at     time.Time
	allDay bool
	date   calendar.Date
	// modified is the item's last change: reminders due before it were never sent for this
	// revision and never will be; a change notice tells the parties instead.
	modified time.Time
	parties  []string
}

// Plan returns the reminders a case calls for at now: for every upcoming item, each party it
// concerns, each rule of the case's policy (or the defaults) that reaches the party's role,
// and each channel the party is reached on. Reminders whose outcome is recorded carry it
// (sent, failed); a channel without a usable address gives an undeliverable one. Items
// already past, cancelled, completed, withdrawn or superseded get none, nor does a closed
// case. Of the reminders already due and unsent for one item, party and channel only the
// latest is kept, so an instance that was down sends one reminder, not the whole ladder.
// Occurrences of recurring appointments are planned up to horizon ahead. Plan is pure: the
// caller holds the case still (projections.Cases.Read) and passes the time.
func Plan(c *projections.Case, now time.Time, horizon time.Duration) []Reminder {
	if c.Status == "closed" {
		return nil
	}
	if horizon <= 0 {
		horizon = DefaultHorizon
	}
	pl := &planning{c: c, now: now, rules: caseRules(c), addr: map[string]string{}, seen: map[string]bool{}}
	for _, it := range items(c, now, horizon) {
		pl.item(it)
	}
	pl.collapse()
	slices.SortFunc(pl.out, compareReminders)
	return pl.out
}

// compareReminders orders reminders by due time, then id.
func compareReminders(a, b Reminder) int {
	return cmp.Or(a.DueAt.Compare(b.DueAt), cmp.Compare(a.ID, b.ID))
}

// items returns the case's upcoming items that reminders may be about.
func items(c *projections.Case, now time.Time, horizon time.Duration) []item {
	court := c.Location()
	var out []item
	for _, h := range c.Hearings {
		if h.Status != calendar.StatusCancelled {
			out = append(out, item{kind: calendar.KindHearing, id: h.HearingID, revision: h.Revision, moved: -1,
				at: h.Start, modified: h.Modified, parties: h.Attendees})
		}
	}
	var entries []calendar.Entry
	for _, a := range c.Appointments {
		if a.Status == calendar.StatusCancelled {
			continue
		}
		if a.RRule == "" {
			out = append(out, item{kind: calendar.KindAppointment, id: a.AppointmentID, revision: a.Revision, moved: -1,
				at: a.Start, modified: a.Modified, parties: a.Attendees})
			continue
		}
		if entries == nil {
			entries = c.Entries()
		}
		out = append(out, occurrences(c, a, entries, now, now.Add(horizon))...)
	}
	for _, f := range c.Filings {
		if f.Status == projections.StatusDue {
			out = append(out, dueItem(calendar.KindFiling, f.FilingID, f.Revision, f.Due, f.Modified, f.Responsible, court))
		}
	}
	for _, d := range c.Deadlines {
		if d.Status == projections.StatusOpen {
			out = append(out, dueItem(calendar.KindDeadline, d.DeadlineID, d.Revision, d.Effective(), d.Modified, partiesWithRoles(c, d.ResponsibleRoles), court))
		}
	}
	return out
}

// occurrences returns the occurrences of a recurring appointment that start in [from, to).
func occurrences(c *projections.Case, a *projections.Appointment, entries []calendar.Entry, from, to time.Time) []item {
	uid := projections.EntryUID(c.ID, calendar.KindAppointment, a.AppointmentID)
	var series []calendar.Entry
	for _, e := range entries {
		if e.UID == uid {
			series = append(series, e)
		}
	}
	var out []item
	for _, occ := range calendar.Expand(series, from, to) {
		it := item{kind: calendar.KindAppointment, id: a.AppointmentID, revision: a.Revision, moved: -1,
			occurrence: occ.RecurrenceID.UTC(), at: occ.Start.Time, modified: a.Modified, parties: a.Attendees}
		for _, o := range a.Moved {
			if o.Original.Equal(occ.RecurrenceID) {
				it.moved = o.Revision
				it.modified = later(a.Modified, o.Modified)
			}
		}
		out = append(out, it)
	}
	return out
}

// dueItem returns a filing or deadline as an item. An all-day one is due by the end of its
// day in the court's zone.
func dueItem(kind, id string, rev int, due calendar.When, modified time.Time, parties []string, court *time.Location) item {
	it := item{kind: kind, id: id, revision: rev, moved: -1, modified: modified, parties: parties, date: due.Date}
	if due.AllDay() {
		it.allDay = true
		it.at = due.Date.AddDays(1).Midnight(court)
	} else {
		it.at = due.Time
	}
	return it
}

// partiesWithRoles returns the ids of the case's parties whose role is one of roles, sorted.
func partiesWithRoles(c *projections.Case, roles []string) []string {
	var out []string
	for id, p := range c.Parties {
		if slices.Contains(roles, p.Role) {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// planning is the state of one Plan call.
type planning struct {
	c     *projections.Case
	now   time.Time
	rules []rule
	addr  map[string]string // party and channel → why there is no usable address ("" if there is)
	seen  map[string]bool
	out   []Reminder
}

func (pl *planning) item(it item) {
	if !it.at.After(pl.now) {
		return
	}
	for _, pid := range it.parties {
		p := pl.c.Parties[pid]
		if p == nil {
			continue
		}
		loc := partyZone(pl.c, p)
		for _, r := range pl.rules {
			if !r.reaches(it.kind, p.Role) {
				continue
			}
			due := dueAt(it, r, loc)
			for _, ch := range r.channelsFor(p) {
				pl.reminder(it, p, loc, r, ch, due)
			}
		}
	}
}

func (pl *planning) reminder(it item, p *projections.Party, loc *time.Location, r rule, ch string, due time.Time) {
	rem := Reminder{Kind: KindReminder, CaseID: pl.c.ID, ItemID: it.id, ItemKind: it.kind, ItemRevision: it.revision,
		ItemAt: it.at, Occurrence: it.occurrence, PartyID: p.PartyID, Channel: ch, Offset: Offset(r.before), At: r.at,
		DueAt: due, Status: StatusPlanned}
	if ch == ChannelSMS && p.QuietHours != nil {
		rem.DueAt, rem.Reason = deferQuiet(p.QuietHours, loc, due, it.at, false)
	}
	if !rem.DueAt.Before(it.at) {
		return
	}
	rem.ID = reminderID(pl.c.ID, it, p.PartyID, r, ch)
	if pl.seen[rem.ID] {
		return
	}
	pl.seen[rem.ID] = true
	if o := pl.c.Outcomes[rem.ID]; o != nil {
		withOutcome(&rem, o)
	} else if rem.DueAt.Before(it.modified) {
		return
	} else if why := pl.address(p, ch); why != "" {
		rem.Status, rem.Reason = StatusUndeliverable, why
	}
	pl.out = append(pl.out, rem)
}

// address returns why p cannot be reached on ch, or "" when it can.
func (pl *planning) address(p *projections.Party, ch string) string {
	k := p.PartyID + "\x00" + ch
	why, ok := pl.addr[k]
	if !ok {
		if _, err := recipientOf(p).Address(ch); err != nil {
			why = err.Error()
		}
		pl.addr[k] = why
	}
	return why
}

// collapse drops the due reminders that a later due reminder for the same item, party and
// channel makes redundant.
func (pl *planning) collapse() {
	latest := map[string]time.Time{}
	for _, r := range pl.out {
		if k := r.chain(); !r.DueAt.After(pl.now) && r.DueAt.After(latest[k]) {
			latest[k] = r.DueAt
		}
	}
	pl.out = slices.DeleteFunc(pl.out, func(r Reminder) bool {
		pending := r.Status == StatusPlanned || r.Status == StatusUndeliverable
		return pending && !r.DueAt.After(pl.now) && r.DueAt.Before(latest[r.chain()])
	})
}

// chain identifies the reminders of one item occurrence for one party on one channel.
func (r Reminder) chain() string {
	return r.ItemKind + "\x00" + r.ItemID + "\x00" + strconv.FormatInt(r.Occurrence.Unix(), 10) + "\x00" + r.PartyID + "\x00" + r.Channel
}

// withOutcome copies a recorded outcome into r.
func withOutcome(r *Reminder, o *projections.ReminderOutcome) {
	r.Status = o.Status
	r.Attempts, r.ProviderID, r.Error, r.OutcomeAt = o.Attempts, o.ProviderID, o.Error, o.At
}

// dueAt returns when rule r reminds of it, for a party in loc. Whole-day offsets before an
// all-day item land on a day, at the rule's local time or defaultAt; any other offset counts
// back from the item's instant, and a rule's "at" then moves it to that time on the same day.
func dueAt(it item, r rule, loc *time.Location) time.Time {
	if it.allDay {
		days, rest := r.before/day, r.before%day
		if r.at != "" || rest == 0 {
			at := r.at
			if at == "" {
				at = defaultAt
			}
			return clockOn(it.date.AddDays(-int(days)), at, loc)
		}
		return it.at.Add(-r.before)
	}
	t := it.at.Add(-r.before)
	if r.at == "" {
		return t
	}
	return clockOn(calendar.DateOf(t.In(loc)), r.at, loc)
}

// clockOn returns the local time hhmm ("HH:MM") on d in loc; a malformed hhmm, which
// validation prevents, reads as defaultAt.
func clockOn(d calendar.Date, hhmm string, loc *time.Location) time.Time {
	m, ok := minutes(hhmm)
	if !ok {
		m, _ = minutes(defaultAt)
	}
	return time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, loc)
}

// minutes parses "HH:MM" into minutes after midnight.
func minutes(hhmm string) (int, bool) {
	h, m, ok := strings.Cut(hhmm, ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 23 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

// quietSpan returns the quiet period, in loc, that t falls in, if any. Quiet hours may wrap
// midnight (21:00–08:00); equal start and end mean none.
func quietSpan(q *events.QuietHours, loc *time.Location, t time.Time) (start, end time.Time, ok bool) {
	s, ok1 := minutes(q.Start)
	e, ok2 := minutes(q.End)
	if !ok1 || !ok2 || s == e {
		return time.Time{}, time.Time{}, false
	}
	lt := t.In(loc)
	d := calendar.DateOf(lt)
	tod := lt.Hour()*60 + lt.Minute()
	at := func(d calendar.Date, m int) time.Time {
		return time.Date(d.Year, d.Month, d.Day, m/60, m%60, 0, 0, loc)
	}
	switch {
	case s < e && tod >= s && tod < e:
		return at(d, s), at(d, e), true
	case s > e && tod >= s:
		return at(d, s), at(d.AddDays(1), e), true
	case s > e && tod < e:
		return at(d.AddDays(-1), s), at(d, e), true
	}
	return time.Time{}, time.Time{}, false
}

// deferQuiet moves an SMS due at t out of the party's quiet hours, to their end. When they
// end only after the item has begun, a reminder goes just before they began instead (the
// evening before an early hearing), and a change notice goes at once: it cannot wait.
func deferQuiet(q *events.QuietHours, loc *time.Location, t, itemAt time.Time, notice bool) (time.Time, string) {
	start, end, ok := quietSpan(q, loc, t)
	switch {
	case !ok:
		return t, ""
	case end.Before(itemAt):
		return end, "deferred to the end of quiet hours"
	case notice:
		return t, "sent in quiet hours: they end after the item starts"
	}
	return start.Add(-time.Minute), "moved before quiet hours: they end after the item starts"
}

// reminderID derives a reminder's id from the case, the item and its revision (and, for an
// occurrence, its original start and own revision), the party, the rule's offset and time,
// and the channel.
func reminderID(caseID string, it item, partyID string, r rule, channel string) string {
	return hashID("rem-", caseID, it.kind, it.id, strconv.Itoa(it.revision), strconv.Itoa(it.moved),
		strconv.FormatInt(it.occurrence.Unix(), 10), partyID, strconv.FormatInt(int64(r.before), 10), r.at, channel)
}

// hashID hashes parts into prefix plus 32 hex digits: a valid Message.ID and KV key, lower
// case so outbox file names cannot collide on case-insensitive file systems.
func hashID(prefix string, parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return prefix + hex.EncodeToString(h.Sum(nil)[:16])
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// describe names a reminder in logs and errors.
func (r Reminder) describe() string {
	return fmt.Sprintf("%s %s (%s %s/%s, party %s, %s)", r.Kind, r.ID, r.CaseID, r.ItemKind, r.ItemID, r.PartyID, r.Channel)
}
