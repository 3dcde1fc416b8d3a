package projections

import (
	"slices"
	"strconv"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
)

// NewCase returns the empty state of a case before its first event.
func NewCase(id string) *Case {
	return &Case{
		ID:           id,
		Parties:      map[string]*Party{},
		Hearings:     map[string]*Hearing{},
		Appointments: map[string]*Appointment{},
		Filings:      map[string]*Filing{},
		Triggers:     map[string]*Trigger{},
		Deadlines:    map[string]*Deadline{},
		Outcomes:     map[string]*ReminderOutcome{},
		keys:         map[string][]EventRef{},
	}
}

// Apply folds one stored event into the case. It is pure and deterministic; an event about an
// item the case does not know (possible only for events not written through Docket) changes
// nothing but the version.
func (c *Case) Apply(e events.Event) error {
	p, err := e.Payload()
	if err != nil {
		return err
	}
	c.apply(e, p)
	return nil
}

func (c *Case) apply(e events.Event, p any) {
	c.Version = e.Seq
	c.Modified = e.Time
	if e.IdempotencyKey != "" {
		c.keys[e.IdempotencyKey] = append(c.keys[e.IdempotencyKey], EventRef{ID: e.ID, Seq: e.Seq})
	}
	at := e.Time
	switch d := p.(type) {
	case *events.CaseOpenedData:
		c.DocketNumber, c.Title, c.RuleSet, c.Opened = d.DocketNumber, d.Title, d.RuleSet, at
		c.setCourt(d.Court)
		c.Status = d.Status
		if c.Status == "" {
			c.Status = StatusOpen
		}
	case *events.CaseUpdatedData:
		if d.DocketNumber != nil {
			c.DocketNumber = *d.DocketNumber
		}
		if d.Title != nil {
			c.Title = *d.Title
		}
		if d.Court != nil {
			c.setCourt(*d.Court)
		}
		if d.RuleSet != nil {
			c.RuleSet = *d.RuleSet
		}
		if d.Status != nil {
			c.Status = *d.Status
		}
	case *events.CaseStatusData:
		if e.Type == events.CaseClosed {
			c.Status = "closed"
		} else {
			c.Status = StatusOpen
		}
	case *events.PartyData:
		c.applyParty(e.Type, d, at)
	case *events.PartyRemovedData:
		delete(c.Parties, d.PartyID)
	case *events.HearingScheduledData:
		c.Hearings[d.HearingID] = &Hearing{HearingScheduledData: *d, Status: StatusScheduled, Created: at, Modified: at}
	case *events.HearingRescheduledData:
		if h := c.Hearings[d.HearingID]; h != nil {
			h.Start, h.End, h.Status = d.Start, d.End, StatusScheduled
			h.CancelReason = ""
			h.Revision++
			h.Modified = at
		}
	case *events.CancelledData:
		if h := c.Hearings[d.HearingID]; h != nil {
			h.Status, h.CancelReason = calendar.StatusCancelled, d.Reason
			h.Revision++
			h.Modified = at
		}
	case *events.AppointmentScheduledData:
		c.Appointments[d.AppointmentID] = &Appointment{AppointmentScheduledData: *d, Status: StatusScheduled, Created: at, Modified: at}
	case *events.AppointmentRescheduledData:
		c.rescheduleAppointment(d, at)
	case *events.AppointmentCancelledData:
		c.cancelAppointment(d, at)
	case *events.FilingDueData:
		c.Filings[d.FilingID] = &Filing{FilingDueData: *d, Status: StatusDue, Created: at, Modified: at}
	case *events.FilingExtendedData:
		if f := c.Filings[d.FilingID]; f != nil {
			f.Due = d.Due
			f.Revision++
			f.Modified = at
		}
	case *events.FilingCompletedData:
		if f := c.Filings[d.FilingID]; f != nil {
			f.Status, f.FiledAt = calendar.StatusCompleted, d.FiledAt
			f.Revision++
			f.Modified = at
		}
	case *events.FilingWithdrawnData:
		if f := c.Filings[d.FilingID]; f != nil {
			f.Status = StatusWithdrawn
			f.Revision++
			f.Modified = at
		}
	case *events.TriggerRecordedData:
		if t := c.Triggers[d.TriggerID]; t != nil {
			t.TriggerRecordedData = *d
			t.Revision++
			t.Recorded = at
		} else {
			c.Triggers[d.TriggerID] = &Trigger{TriggerRecordedData: *d, Recorded: at}
		}
	case *events.DeadlineComputedData:
		c.applyComputed(d, at)
	case *events.DeadlineOverriddenData:
		if dl := c.Deadlines[d.DeadlineID]; dl != nil {
			due := d.Due
			dl.Overridden, dl.OverrideReason = &due, d.Reason
			dl.Revision++
			dl.Modified = at
		}
	case *events.DeadlineCompletedData:
		if dl := c.Deadlines[d.DeadlineID]; dl != nil {
			dl.Status = calendar.StatusCompleted
			dl.Revision++
			dl.Modified = at
		}
	case *events.DeadlineSupersededData:
		if dl := c.Deadlines[d.DeadlineID]; dl != nil {
			dl.Status = StatusSuperseded
			dl.Revision++
			dl.Modified = at
		}
	case *events.ReminderPolicySetData:
		c.Policy = d.Rules
	case *events.ReminderOutcomeData:
		status := "sent"
		if e.Type == events.ReminderFailed {
			status = "failed"
		}
		c.Outcomes[d.ReminderID] = &ReminderOutcome{ReminderOutcomeData: *d, Status: status, At: at}
	}
}

func (c *Case) setCourt(ct events.Court) {
	c.Court = ct
	if loc, err := events.LoadZone(ct.TimeZone); err == nil {
		c.loc = loc
	}
}

func (c *Case) applyParty(typ string, d *events.PartyData, at time.Time) {
	p := c.Parties[d.PartyID]
	if p == nil || typ == events.PartyAdded {
		c.Parties[d.PartyID] = &Party{PartyData: *d, Added: at}
		return
	}
	// An update changes only what it names.
	u := *d
	if u.Name != "" {
		p.Name = u.Name
	}
	if u.Role != "" {
		p.Role = u.Role
	}
	if u.Email != "" {
		p.Email = u.Email
	}
	if u.Phone != "" {
		p.Phone = u.Phone
	}
	if u.WebhookURL != "" {
		p.WebhookURL = u.WebhookURL
	}
	if u.TimeZone != "" {
		p.TimeZone = u.TimeZone
	}
	if u.Channels != nil {
		p.Channels = u.Channels
	}
	if u.QuietHours != nil {
		p.QuietHours = u.QuietHours
	}
}

func (c *Case) rescheduleAppointment(d *events.AppointmentRescheduledData, at time.Time) {
	a := c.Appointments[d.AppointmentID]
	if a == nil {
		return
	}
	a.Modified = at
	if d.Occurrence == nil {
		// Moving a whole series moves its anchor; RRULE and exceptions keep their meaning
		// relative to the new start only if the caller re-sends them, so they stay as they were.
		a.Start, a.End, a.Status = d.Start, d.End, StatusScheduled
		a.Revision++
		return
	}
	if a.Moved == nil {
		a.Moved = map[string]*Occurrence{}
	}
	k := occurrenceKey(*d.Occurrence)
	o := a.Moved[k]
	if o == nil {
		o = &Occurrence{Original: d.Occurrence.UTC()}
		a.Moved[k] = o
	} else {
		o.Revision++
	}
	o.Start, o.End, o.Modified = d.Start, d.End, at
}

func (c *Case) cancelAppointment(d *events.AppointmentCancelledData, at time.Time) {
	a := c.Appointments[d.AppointmentID]
	if a == nil {
		return
	}
	a.Modified = at
	a.Revision++
	if d.Occurrence == nil {
		a.Status = calendar.StatusCancelled
		return
	}
	t := d.Occurrence.UTC()
	delete(a.Moved, occurrenceKey(t))
	if !slices.ContainsFunc(a.Cancelled, t.Equal) {
		a.Cancelled = append(a.Cancelled, t)
		slices.SortFunc(a.Cancelled, time.Time.Compare)
	}
}

func (c *Case) applyComputed(d *events.DeadlineComputedData, at time.Time) {
	dl := c.Deadlines[d.DeadlineID]
	if dl == nil {
		c.Deadlines[d.DeadlineID] = &Deadline{DeadlineComputedData: *d, Status: StatusOpen, Created: at, Modified: at}
		return
	}
	// A recomputation keeps the id, the override and a completion, and raises the revision.
	dl.DeadlineComputedData = *d
	if dl.Status == StatusSuperseded {
		dl.Status = StatusOpen
	}
	dl.Revision++
	dl.Modified = at
}

// occurrenceKey is the map key of an occurrence: its original start in UTC.
func occurrenceKey(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func itoa(i int) string { return strconv.Itoa(i) }
