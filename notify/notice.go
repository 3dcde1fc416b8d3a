package notify

import (
	"slices"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// Change is what a change notice reports: when the item was, and when it is now.
type Change struct {
	// Type is the event that made the change, e.g. hearing.rescheduled.
	Type string `json:"type"`
	// From is the item's start (or due date) before the change.
	From calendar.When `json:"from"`
	// To is its start or due date after the change; zero when it was cancelled.
	To        calendar.When `json:"to,omitzero"`
	Cancelled bool          `json:"cancelled,omitempty"`
	Reason    string        `json:"reason,omitempty"`
}

// snapshot is what the planner remembers of an item between events, so that a notice can say
// what the item was before the event that changed it: the case already shows it after.
type snapshot struct {
	when   calendar.When
	status string
	// moved maps the original start (Unix seconds) of a moved occurrence to its start now.
	moved map[int64]time.Time
}

// itemRef is the part of every item event the planner needs to find the item.
type itemRef struct {
	HearingID     string
	AppointmentID string
	FilingID      string
	DeadlineID    string
	Occurrence    *time.Time
	Reason        string
}

// itemKinds maps the types of item events to the kind of item they are about.
var itemKinds = map[string]string{
	events.HearingScheduled: calendar.KindHearing, events.HearingRescheduled: calendar.KindHearing,
	events.HearingCancelled:     calendar.KindHearing,
	events.AppointmentScheduled: calendar.KindAppointment, events.AppointmentRescheduled: calendar.KindAppointment,
	events.AppointmentCancelled: calendar.KindAppointment,
	events.FilingDue:            calendar.KindFiling, events.FilingExtended: calendar.KindFiling,
	events.FilingCompleted: calendar.KindFiling, events.FilingWithdrawn: calendar.KindFiling,
	events.DeadlineComputed: calendar.KindDeadline, events.DeadlineOverridden: calendar.KindDeadline,
	events.DeadlineCompleted: calendar.KindDeadline, events.DeadlineSuperseded: calendar.KindDeadline,
}

// refOf returns the item an event is about; ok is false for events about no item.
func refOf(e events.Event) (kind, id string, ref itemRef, ok bool) {
	kind, ok = itemKinds[e.Type]
	if !ok {
		return "", "", itemRef{}, false
	}
	p, err := e.Payload()
	if err != nil {
		return "", "", itemRef{}, false
	}
	switch d := p.(type) {
	case *events.HearingScheduledData:
		ref.HearingID = d.HearingID
	case *events.HearingRescheduledData:
		ref.HearingID, ref.Reason = d.HearingID, d.Reason
	case *events.CancelledData:
		ref.HearingID, ref.Reason = d.HearingID, d.Reason
	case *events.AppointmentScheduledData:
		ref.AppointmentID = d.AppointmentID
	case *events.AppointmentRescheduledData:
		ref.AppointmentID, ref.Occurrence, ref.Reason = d.AppointmentID, d.Occurrence, d.Reason
	case *events.AppointmentCancelledData:
		ref.AppointmentID, ref.Occurrence, ref.Reason = d.AppointmentID, d.Occurrence, d.Reason
	case *events.FilingDueData:
		ref.FilingID = d.FilingID
	case *events.FilingExtendedData:
		ref.FilingID, ref.Reason = d.FilingID, d.Reason
	case *events.FilingCompletedData:
		ref.FilingID = d.FilingID
	case *events.FilingWithdrawnData:
		ref.FilingID, ref.Reason = d.FilingID, d.Reason
	case *events.DeadlineComputedData:
		ref.DeadlineID = d.DeadlineID
	case *events.DeadlineOverriddenData:
		ref.DeadlineID, ref.Reason = d.DeadlineID, d.Reason
	case *events.DeadlineCompletedData:
		ref.DeadlineID = d.DeadlineID
	case *events.DeadlineSupersededData:
		ref.DeadlineID, ref.Reason = d.DeadlineID, d.Reason
	}
	switch kind {
	case calendar.KindHearing:
		id = ref.HearingID
	case calendar.KindAppointment:
		id = ref.AppointmentID
	case calendar.KindFiling:
		id = ref.FilingID
	default:
		id = ref.DeadlineID
	}
	return kind, id, ref, id != ""
}

// snapshotOf returns what a notice needs to remember of an item, nil if the case has no such
// item.
func snapshotOf(c *projections.Case, kind, id string) *snapshot {
	switch kind {
	case calendar.KindHearing:
		if h := c.Hearings[id]; h != nil {
			return &snapshot{when: timedWhen(h.Start), status: h.Status}
		}
	case calendar.KindAppointment:
		if a := c.Appointments[id]; a != nil {
			s := &snapshot{when: timedWhen(a.Start), status: a.Status}
			if len(a.Moved) > 0 {
				s.moved = map[int64]time.Time{}
				for _, o := range a.Moved {
					s.moved[o.Original.Unix()] = o.Start
				}
			}
			return s
		}
	case calendar.KindFiling:
		if f := c.Filings[id]; f != nil {
			return &snapshot{when: f.Due, status: f.Status}
		}
	case calendar.KindDeadline:
		if d := c.Deadlines[id]; d != nil {
			return &snapshot{when: d.Effective(), status: d.Status}
		}
	}
	return nil
}

func timedWhen(t time.Time) calendar.When { return calendar.When{Date: calendar.DateOf(t), Time: t} }

// sameWhen reports whether a and b are the same date or the same instant, whatever zone
// each was written in.
func sameWhen(a, b calendar.When) bool {
	if a.AllDay() || b.AllDay() {
		return a.AllDay() == b.AllDay() && a.Date == b.Date
	}
	return a.Time.Equal(b.Time)
}

// changeNotices returns the change notices event e calls for, given the item before (old)
// and after (cur) it: one per affected party and channel, due when the event happened.
// Events that create or complete an item, or change nothing a party plans around, call for
// none.
func changeNotices(c *projections.Case, e events.Event, kind, id string, ref itemRef, old, cur *snapshot) []Reminder {
	if old == nil || cur == nil || c.Status == "closed" {
		return nil
	}
	ch := Change{Type: e.Type, From: old.when, To: cur.when, Reason: ref.Reason}
	var itemAt, occurrence time.Time
	var rev int
	var parties []string
	switch e.Type {
	case events.HearingRescheduled, events.HearingCancelled:
		h := c.Hearings[id]
		rev, parties = h.Revision, h.Attendees
	case events.AppointmentRescheduled, events.AppointmentCancelled:
		a := c.Appointments[id]
		rev, parties = a.Revision, a.Attendees
		if ref.Occurrence != nil {
			occurrence = ref.Occurrence.UTC()
			ch.From, ch.To = timedWhen(movedStart(old, occurrence)), timedWhen(movedStart(cur, occurrence))
		} else if a.RRule != "" {
			itemAt = seriesEnd(c, a)
		}
	case events.FilingExtended:
		f := c.Filings[id]
		rev, parties = f.Revision, f.Responsible
	case events.DeadlineComputed, events.DeadlineOverridden:
		d := c.Deadlines[id]
		if old.status != projections.StatusOpen || d.Status != projections.StatusOpen {
			return nil
		}
		rev, parties = d.Revision, partiesWithRoles(c, d.ResponsibleRoles)
	default:
		return nil
	}
	if old.status == calendar.StatusCancelled {
		return nil
	}
	if e.Type == events.HearingCancelled || e.Type == events.AppointmentCancelled {
		ch.To, ch.Cancelled = calendar.When{}, true
	} else if sameWhen(ch.From, ch.To) {
		return nil
	}
	if itemAt.IsZero() {
		itemAt = later(instant(ch.From, c.Location()), instant(ch.To, c.Location()))
	}
	rules := caseRules(c)
	var out []Reminder
	for _, pid := range parties {
		p := c.Parties[pid]
		if p == nil {
			continue
		}
		for _, channel := range noticeChannels(rules, kind, p) {
			n := Reminder{ID: hashID("ntc-", e.ID, pid, channel), Kind: KindChangeNotice, CaseID: c.ID, ItemID: id,
				ItemKind: kind, ItemRevision: rev, ItemAt: itemAt, Occurrence: occurrence, PartyID: pid, Channel: channel,
				DueAt: e.Time, Status: StatusPlanned, Change: &ch}
			if channel == ChannelSMS && p.QuietHours != nil {
				n.DueAt, n.Reason = deferQuiet(p.QuietHours, partyZone(c, p), e.Time, itemAt, true)
			}
			out = append(out, n)
		}
	}
	return out
}

// movedStart returns when the occurrence originally at occ starts according to s.
func movedStart(s *snapshot, occ time.Time) time.Time {
	if t, ok := s.moved[occ.Unix()]; ok {
		return t
	}
	return occ
}

// instant returns when w is due: its time, or the end of its day in the court's zone.
func instant(w calendar.When, court *time.Location) time.Time {
	if w.IsZero() {
		return time.Time{}
	}
	if w.AllDay() {
		return w.Date.AddDays(1).Midnight(court)
	}
	return w.Time
}

// seriesEnd returns the start of the last occurrence of a recurring appointment: notices about
// the series matter until then.
func seriesEnd(c *projections.Case, a *projections.Appointment) time.Time {
	loc := c.Location()
	if a.TimeZone != "" {
		if z := loadZone(a.TimeZone); z != nil {
			loc = z
		}
	}
	start := a.Start.In(loc)
	rec, err := calendar.ParseRecurrence(a.RRule, start)
	if err != nil {
		return a.Start
	}
	occ := rec.Between(start, start.Add(calendar.MaxSeriesSpan))
	if len(occ) == 0 {
		return a.Start
	}
	return occ[len(occ)-1]
}

// mergeNotices adds fresh notices to pending ones. A pending notice not yet sent to the same
// party on the same channel about the same item is folded in: the party hears once, from
// where the item was when last told to where it is now, and nothing when it is back there.
func mergeNotices(c *projections.Case, pending, fresh []Reminder) []Reminder {
	for _, n := range fresh {
		for i, m := range pending {
			if m.chain() != n.chain() || c.Outcomes[m.ID] != nil {
				continue
			}
			ch := *n.Change
			ch.From = m.Change.From
			n.Change = &ch
			pending = slices.Delete(pending, i, i+1)
			break
		}
		if n.Change.Cancelled || !sameWhen(n.Change.From, n.Change.To) {
			pending = append(pending, n)
		}
	}
	return pending
}

// refreshNotices returns the pending notices still to send at now (keep), and the same with
// their status as the plan shows them (view). Those whose outcome is recorded (the outcome
// shows them from then on), whose item is past, or whose party has left the case are dropped.
func refreshNotices(c *projections.Case, pending []Reminder, now time.Time) (keep, view []Reminder) {
	for _, n := range pending {
		p := c.Parties[n.PartyID]
		if c.Outcomes[n.ID] != nil || !n.ItemAt.After(now) || p == nil || c.Status == "closed" {
			continue
		}
		keep = append(keep, n)
		if _, err := recipientOf(p).Address(n.Channel); err != nil {
			n.Status, n.Reason = StatusUndeliverable, err.Error()
		}
		view = append(view, n)
	}
	return keep, view
}
