// Package projections folds Docket's events into read models (cases, calendars, feeds, the
// reminder plan) and runs the folds from the stream.
package projections

import (
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
)

// Case is the read model of one case, and the state commands are checked against.
type Case struct {
	ID           string       `json:"case_id"`
	DocketNumber string       `json:"docket_number"`
	Title        string       `json:"title"`
	Court        events.Court `json:"court"`
	RuleSet      string       `json:"ruleset,omitempty"`
	Status       string       `json:"status"`
	// Version is the stream sequence of the case's last event: the If-Match value.
	Version  uint64    `json:"version"`
	Opened   time.Time `json:"opened"`
	Modified time.Time `json:"modified"`

	Parties      map[string]*Party           `json:"parties"`
	Hearings     map[string]*Hearing         `json:"hearings"`
	Appointments map[string]*Appointment     `json:"appointments"`
	Filings      map[string]*Filing          `json:"filings"`
	Triggers     map[string]*Trigger         `json:"triggers"`
	Deadlines    map[string]*Deadline        `json:"deadlines"`
	Policy       []events.ReminderRule       `json:"reminder_policy,omitempty"`
	Outcomes     map[string]*ReminderOutcome `json:"-"`
	keys         map[string][]EventRef       // idempotency key → the events it stored
	loc          *time.Location              // the court's zone
}

// Party is a person or organisation on the case.
type Party struct {
	events.PartyData
	Added time.Time `json:"added"`
}

// Hearing is a scheduled court hearing.
type Hearing struct {
	events.HearingScheduledData
	Status       string    `json:"status"`
	Revision     int       `json:"revision"`
	Created      time.Time `json:"created"`
	Modified     time.Time `json:"modified"`
	CancelReason string    `json:"cancel_reason,omitempty"`
}

// Appointment is a meeting, possibly a recurring series.
type Appointment struct {
	events.AppointmentScheduledData
	Status   string    `json:"status"`
	Revision int       `json:"revision"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// Cancelled holds the original starts of cancelled occurrences.
	Cancelled []time.Time `json:"cancelled_occurrences,omitempty"`
	// Moved maps the original start (RFC 3339, UTC) of a moved occurrence to its new span.
	Moved map[string]*Occurrence `json:"moved_occurrences,omitempty"`
}

// Occurrence is one moved occurrence of a series.
type Occurrence struct {
	Original time.Time `json:"original"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Revision int       `json:"revision"`
	Modified time.Time `json:"modified"`
}

// Filing is a document due to be filed.
type Filing struct {
	events.FilingDueData
	Status   string    `json:"status"`
	FiledAt  time.Time `json:"filed_at,omitzero"`
	Revision int       `json:"revision"`
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
}

// Trigger is a recorded event that starts court-rule periods.
type Trigger struct {
	events.TriggerRecordedData
	Revision int       `json:"revision"`
	Recorded time.Time `json:"recorded"`
}

// Deadline is a computed court deadline.
type Deadline struct {
	events.DeadlineComputedData
	Status string `json:"status"`
	// Overridden is the court-ordered date that wins over the computed Due, when set.
	Overridden     *calendar.When `json:"overridden,omitempty"`
	OverrideReason string         `json:"override_reason,omitempty"`
	Revision       int            `json:"revision"`
	Created        time.Time      `json:"created"`
	Modified       time.Time      `json:"modified"`
}

// Effective returns the date the deadline falls on: the override if any, else the computed one.
func (d *Deadline) Effective() calendar.When {
	if d.Overridden != nil {
		return *d.Overridden
	}
	return d.Due
}

// ReminderOutcome is the last recorded outcome of one reminder.
type ReminderOutcome struct {
	events.ReminderOutcomeData
	Status string    `json:"status"`
	At     time.Time `json:"at"`
}

// Item statuses beyond calendar's.
const (
	StatusOpen       = "open"
	StatusDue        = "due"
	StatusWithdrawn  = "withdrawn"
	StatusSuperseded = "superseded"
	StatusScheduled  = "scheduled"
)

// Location returns the court's time zone (UTC if it cannot be loaded, which validation
// prevents).
func (c *Case) Location() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// EventRef names one stored event.
type EventRef struct {
	ID  string `json:"id"`
	Seq uint64 `json:"seq"`
}

// Keyed returns the events an idempotency key stored on this case, if any.
func (c *Case) Keyed(key string) ([]EventRef, bool) {
	refs, ok := c.keys[key]
	return refs, ok
}
