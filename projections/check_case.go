package projections

import (
	"maps"
	"slices"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
)

// SystemTypes are appended only by Docket itself: deadlines come from the rules engine and
// reminder outcomes from the worker, never from a client.
var SystemTypes = []string{events.DeadlineComputed, events.DeadlineSuperseded, events.ReminderSent, events.ReminderFailed}

// Check reports whether the event e with decoded payload p may be appended to the case c (nil
// when the case does not exist yet). Errors name the field under prefix (e.g. "/data").
func (c *Case) Check(e events.Event, p any, prefix string) error {
	if c == nil || c.Opened.IsZero() {
		if e.Type != events.CaseOpened {
			return docket.Errorf(docket.ENOTFOUND, "case %q does not exist", e.Subject)
		}
		return nil
	}
	bad := func(field, format string, args ...any) error {
		return docket.Invalid(prefix+"/"+field, format, args...)
	}
	switch e.Type {
	case events.CaseOpened:
		return &docket.Error{Code: docket.ECONFLICT, Field: "/case_id", Version: c.Version, Message: "case " + c.ID + " already exists"}
	case events.CaseReopened:
		if c.Status != "closed" {
			return &docket.Error{Code: docket.ECONFLICT, Version: c.Version, Message: "the case is not closed"}
		}
		return nil
	case events.ReminderSent, events.ReminderFailed:
		return nil
	}
	if c.Status == "closed" {
		return &docket.Error{Code: docket.ECONFLICT, Version: c.Version, Message: "the case is closed; reopen it first (case.reopened)"}
	}
	switch d := p.(type) {
	case *events.PartyData:
		if _, ok := c.Parties[d.PartyID]; ok && e.Type == events.PartyAdded {
			return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/party_id", Version: c.Version, Message: "party " + d.PartyID + " is already on the case"}
		} else if !ok && e.Type == events.PartyUpdated {
			return bad("party_id", "no party %q on this case", d.PartyID)
		}
	case *events.PartyRemovedData:
		if _, ok := c.Parties[d.PartyID]; !ok {
			return bad("party_id", "no party %q on this case", d.PartyID)
		}
	case *events.HearingScheduledData:
		if _, ok := c.Hearings[d.HearingID]; ok {
			return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/hearing_id", Version: c.Version, Message: "hearing " + d.HearingID + " already exists; reschedule it instead"}
		}
		return c.checkParties(d.Attendees, prefix+"/attendees")
	case *events.HearingRescheduledData:
		return c.checkHearing(d.HearingID, prefix)
	case *events.CancelledData:
		return c.checkHearing(d.HearingID, prefix)
	case *events.AppointmentScheduledData:
		if _, ok := c.Appointments[d.AppointmentID]; ok {
			return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/appointment_id", Version: c.Version, Message: "appointment " + d.AppointmentID + " already exists"}
		}
		return c.checkParties(d.Attendees, prefix+"/attendees")
	case *events.AppointmentRescheduledData:
		return c.checkOccurrence(d.AppointmentID, d.Occurrence, prefix)
	case *events.AppointmentCancelledData:
		return c.checkOccurrence(d.AppointmentID, d.Occurrence, prefix)
	case *events.FilingDueData:
		if _, ok := c.Filings[d.FilingID]; ok {
			return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/filing_id", Version: c.Version, Message: "filing " + d.FilingID + " already exists; extend it instead"}
		}
		return c.checkParties(d.Responsible, prefix+"/responsible")
	case *events.FilingExtendedData:
		return c.checkFiling(d.FilingID, prefix)
	case *events.FilingCompletedData:
		return c.checkFiling(d.FilingID, prefix)
	case *events.FilingWithdrawnData:
		return c.checkFiling(d.FilingID, prefix)
	case *events.DeadlineOverriddenData:
		return c.checkDeadline(d.DeadlineID, prefix)
	case *events.DeadlineCompletedData:
		return c.checkDeadline(d.DeadlineID, prefix)
	}
	return nil
}

func (c *Case) checkParties(ids []string, field string) error {
	for i, id := range ids {
		if _, ok := c.Parties[id]; !ok {
			return docket.Invalid(field+"/"+itoa(i), "no party %q on this case; add it first (party.added)", id)
		}
	}
	return nil
}

func (c *Case) checkHearing(id, prefix string) error {
	h, ok := c.Hearings[id]
	if !ok {
		return docket.Invalid(prefix+"/hearing_id", "no hearing %q on this case", id)
	}
	if h.Status == calendar.StatusCancelled {
		return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/hearing_id", Version: c.Version, Message: "hearing " + id + " is cancelled"}
	}
	return nil
}

func (c *Case) checkFiling(id, prefix string) error {
	f, ok := c.Filings[id]
	if !ok {
		return docket.Invalid(prefix+"/filing_id", "no filing %q on this case", id)
	}
	if f.Status != StatusDue {
		return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/filing_id", Version: c.Version, Message: "filing " + id + " is " + f.Status}
	}
	return nil
}

func (c *Case) checkDeadline(id, prefix string) error {
	if _, ok := c.Deadlines[id]; !ok {
		return docket.Invalid(prefix+"/deadline_id", "no deadline %q on this case", id)
	}
	return nil
}

func (c *Case) checkOccurrence(id string, occ *time.Time, prefix string) error {
	a, ok := c.Appointments[id]
	if !ok {
		return docket.Invalid(prefix+"/appointment_id", "no appointment %q on this case", id)
	}
	if a.Status == calendar.StatusCancelled {
		return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/appointment_id", Version: c.Version, Message: "appointment " + id + " is cancelled"}
	}
	if occ == nil {
		return nil
	}
	if a.RRule == "" {
		return docket.Invalid(prefix+"/occurrence", "appointment %s is not a series; leave occurrence out", id)
	}
	if slices.ContainsFunc(a.Cancelled, occ.Equal) {
		return &docket.Error{Code: docket.ECONFLICT, Field: prefix + "/occurrence", Version: c.Version, Message: "that occurrence is cancelled"}
	}
	rec, err := calendar.ParseRecurrence(a.RRule, a.Start.In(c.zoneOf(a)))
	if err != nil {
		return docket.Invalid(prefix+"/occurrence", "the series' rule no longer parses: %v", err)
	}
	if got := rec.Between(*occ, occ.Add(time.Second)); len(got) == 0 {
		return docket.Invalid(prefix+"/occurrence", "%s is not an original start of appointment %s", occ.Format(time.RFC3339), id)
	}
	return nil
}

// zoneOf returns the zone an appointment's wall-clock times keep: its own or the court's.
func (c *Case) zoneOf(a *Appointment) *time.Location {
	if a.TimeZone != "" {
		if loc, err := events.LoadZone(a.TimeZone); err == nil {
			return loc
		}
	}
	return c.Location()
}

// Clone returns a deep copy of the case, so a command of several events can be checked
// against the state each earlier event leaves without touching the shared read model.
func (c *Case) Clone() *Case {
	n := *c
	n.Parties = cloneItems(c.Parties)
	n.Hearings = cloneItems(c.Hearings)
	n.Appointments = cloneItems(c.Appointments)
	for _, a := range n.Appointments {
		a.Cancelled = slices.Clone(a.Cancelled)
		a.Moved = cloneItems(a.Moved)
	}
	n.Filings = cloneItems(c.Filings)
	n.Triggers = cloneItems(c.Triggers)
	n.Deadlines = cloneItems(c.Deadlines)
	n.Outcomes = cloneItems(c.Outcomes)
	n.keys = maps.Clone(c.keys)
	return &n
}

func cloneItems[T any](m map[string]*T) map[string]*T {
	if m == nil {
		return nil
	}
	out := make(map[string]*T, len(m))
	for k, v := range m {
		cp := *v
		out[k] = &cp
	}
	return out
}
