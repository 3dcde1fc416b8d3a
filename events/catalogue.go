package events

import (
	"time"

	"github.com/docket/docket/calendar"
)

// Event types: the catalogue of DESIGN.md §3. A type name, once stored, is never renamed.
const (
	CaseOpened   = "case.opened"
	CaseUpdated  = "case.updated"
	CaseClosed   = "case.closed"
	CaseReopened = "case.reopened"

	PartyAdded   = "party.added"
	PartyUpdated = "party.updated"
	PartyRemoved = "party.removed"

	HearingScheduled   = "hearing.scheduled"
	HearingRescheduled = "hearing.rescheduled"
	HearingCancelled   = "hearing.cancelled"

	AppointmentScheduled   = "appointment.scheduled"
	AppointmentRescheduled = "appointment.rescheduled"
	AppointmentCancelled   = "appointment.cancelled"

	FilingDue       = "filing.due"
	FilingExtended  = "filing.extended"
	FilingCompleted = "filing.completed"
	FilingWithdrawn = "filing.withdrawn"

	TriggerRecorded = "trigger.recorded"

	DeadlineComputed   = "deadline.computed"
	DeadlineOverridden = "deadline.overridden"
	DeadlineCompleted  = "deadline.completed"
	DeadlineSuperseded = "deadline.superseded"

	ReminderPolicySet = "reminder.policy.set"
	ReminderSent      = "reminder.sent"
	ReminderFailed    = "reminder.failed"
)

// Court is the court a case is before; its time zone is the case's.
type Court struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	TimeZone string `json:"time_zone"`
}

// CaseOpenedData is the payload of case.opened.
type CaseOpenedData struct {
	DocketNumber string `json:"docket_number"`
	Title        string `json:"title"`
	Court        Court  `json:"court"`
	RuleSet      string `json:"ruleset,omitempty"`
	Status       string `json:"status,omitempty"`
}

// CaseUpdatedData is the payload of case.updated: only the fields present change.
type CaseUpdatedData struct {
	DocketNumber *string `json:"docket_number,omitempty"`
	Title        *string `json:"title,omitempty"`
	Court        *Court  `json:"court,omitempty"`
	RuleSet      *string `json:"ruleset,omitempty"`
	Status       *string `json:"status,omitempty"`
}

// CaseStatusData is the payload of case.closed and case.reopened.
type CaseStatusData struct {
	Reason string `json:"reason,omitempty"`
}

// QuietHours is a daily span, in the party's time zone, in which SMS waits.
type QuietHours struct {
	Start string `json:"start"`
	End   string `json:"end"`
}

// PartyData is the payload of party.added and party.updated (on update, empty fields keep
// their value).
type PartyData struct {
	PartyID    string      `json:"party_id"`
	Name       string      `json:"name,omitempty"`
	Role       string      `json:"role,omitempty"`
	Email      string      `json:"email,omitempty"`
	Phone      string      `json:"phone,omitempty"`
	WebhookURL string      `json:"webhook_url,omitempty"`
	TimeZone   string      `json:"time_zone,omitempty"`
	Channels   []string    `json:"channels,omitempty"`
	QuietHours *QuietHours `json:"quiet_hours,omitempty"`
}

// PartyRemovedData is the payload of party.removed.
type PartyRemovedData struct {
	PartyID string `json:"party_id"`
}

// Location is where a hearing or appointment takes place.
type Location struct {
	Courtroom string `json:"courtroom,omitempty"`
	Address   string `json:"address,omitempty"`
	URL       string `json:"url,omitempty"`
}

// HearingScheduledData is the payload of hearing.scheduled.
type HearingScheduledData struct {
	HearingID  string    `json:"hearing_id"`
	Title      string    `json:"title"`
	Kind       string    `json:"kind,omitempty"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
	Location   Location  `json:"location,omitzero"`
	Judge      string    `json:"judge,omitempty"`
	Attendees  []string  `json:"attendees,omitempty"`
	Visibility string    `json:"visibility,omitempty"`
}

// HearingRescheduledData is the payload of hearing.rescheduled.
type HearingRescheduledData struct {
	HearingID string    `json:"hearing_id"`
	Start     time.Time `json:"start"`
	End       time.Time `json:"end"`
	Reason    string    `json:"reason,omitempty"`
}

// CancelledData is the payload of hearing.cancelled.
type CancelledData struct {
	HearingID string `json:"hearing_id"`
	Reason    string `json:"reason,omitempty"`
}

// AppointmentScheduledData is the payload of appointment.scheduled: like a hearing, plus an
// optional RFC 5545 RRULE, the dates it skips, and the IANA zone its wall-clock times keep
// (the court's when absent).
type AppointmentScheduledData struct {
	AppointmentID string      `json:"appointment_id"`
	Title         string      `json:"title"`
	Kind          string      `json:"kind,omitempty"`
	Start         time.Time   `json:"start"`
	End           time.Time   `json:"end"`
	TimeZone      string      `json:"time_zone,omitempty"`
	Location      Location    `json:"location,omitzero"`
	Attendees     []string    `json:"attendees,omitempty"`
	Visibility    string      `json:"visibility,omitempty"`
	RRule         string      `json:"rrule,omitempty"`
	ExDates       []time.Time `json:"exdates,omitempty"`
}

// AppointmentRescheduledData is the payload of appointment.rescheduled: the whole series, or
// the one occurrence whose original start is Occurrence.
type AppointmentRescheduledData struct {
	AppointmentID string     `json:"appointment_id"`
	Occurrence    *time.Time `json:"occurrence,omitempty"`
	Start         time.Time  `json:"start"`
	End           time.Time  `json:"end"`
	Reason        string     `json:"reason,omitempty"`
}

// AppointmentCancelledData is the payload of appointment.cancelled: the whole series, or the
// one occurrence whose original start is Occurrence.
type AppointmentCancelledData struct {
	AppointmentID string     `json:"appointment_id"`
	Occurrence    *time.Time `json:"occurrence,omitempty"`
	Reason        string     `json:"reason,omitempty"`
}

// FilingDueData is the payload of filing.due.
type FilingDueData struct {
	FilingID    string        `json:"filing_id"`
	Title       string        `json:"title"`
	Due         calendar.When `json:"due"`
	Responsible []string      `json:"responsible,omitempty"`
	Visibility  string        `json:"visibility,omitempty"`
}

// FilingExtendedData is the payload of filing.extended.
type FilingExtendedData struct {
	FilingID string        `json:"filing_id"`
	Due      calendar.When `json:"due"`
	Reason   string        `json:"reason,omitempty"`
}

// FilingCompletedData is the payload of filing.completed.
type FilingCompletedData struct {
	FilingID string    `json:"filing_id"`
	FiledAt  time.Time `json:"filed_at"`
}

// FilingWithdrawnData is the payload of filing.withdrawn.
type FilingWithdrawnData struct {
	FilingID string `json:"filing_id"`
	Reason   string `json:"reason,omitempty"`
}

// TriggerRecordedData is the payload of trigger.recorded.
type TriggerRecordedData struct {
	TriggerID     string        `json:"trigger_id"`
	Kind          string        `json:"kind"`
	At            calendar.When `json:"at"`
	ServiceMethod string        `json:"service_method,omitempty"`
	// Closures are days the clerk's office was inaccessible (Fed. R. Civ. P. 6(a)(3)), which
	// the deadlines this trigger starts count as they count legal holidays.
	Closures []calendar.Date `json:"closures,omitempty"`
}

// DeadlineComputedData is the payload of deadline.computed.
type DeadlineComputedData struct {
	DeadlineID       string        `json:"deadline_id"`
	TriggerID        string        `json:"trigger_id"`
	RuleID           string        `json:"rule_id"`
	Citation         string        `json:"citation"`
	Title            string        `json:"title"`
	Due              calendar.When `json:"due"`
	Trace            []string      `json:"trace"`
	ResponsibleRoles []string      `json:"responsible_roles,omitempty"`
	Extendable       bool          `json:"extendable"`
}

// DeadlineOverriddenData is the payload of deadline.overridden: a date set by the court that
// survives recomputation.
type DeadlineOverriddenData struct {
	DeadlineID string        `json:"deadline_id"`
	Due        calendar.When `json:"due"`
	Reason     string        `json:"reason,omitempty"`
}

// DeadlineCompletedData is the payload of deadline.completed.
type DeadlineCompletedData struct {
	DeadlineID  string    `json:"deadline_id"`
	CompletedAt time.Time `json:"completed_at,omitzero"`
}

// DeadlineSupersededData is the payload of deadline.superseded.
type DeadlineSupersededData struct {
	DeadlineID string `json:"deadline_id"`
	Reason     string `json:"reason,omitempty"`
}

// ReminderRule is one rule of a case's reminder policy.
type ReminderRule struct {
	Items    []string `json:"items"`
	Roles    []string `json:"roles"`
	Before   string   `json:"before"`
	At       string   `json:"at,omitempty"`
	Channels []string `json:"channels"`
}

// ReminderPolicySetData is the payload of reminder.policy.set.
type ReminderPolicySetData struct {
	Rules []ReminderRule `json:"rules"`
}

// ReminderOutcomeData is the payload of reminder.sent and reminder.failed.
type ReminderOutcomeData struct {
	ReminderID string    `json:"reminder_id"`
	PartyID    string    `json:"party_id"`
	Channel    string    `json:"channel"`
	ItemID     string    `json:"item_id"`
	DueAt      time.Time `json:"due_at"`
	Attempts   int       `json:"attempts"`
	ProviderID string    `json:"provider_id,omitempty"`
	Error      string    `json:"error,omitempty"`
}

// payloads maps every type to a constructor of its payload.
var payloads = map[string]func() any{
	CaseOpened:             func() any { return new(CaseOpenedData) },
	CaseUpdated:            func() any { return new(CaseUpdatedData) },
	CaseClosed:             func() any { return new(CaseStatusData) },
	CaseReopened:           func() any { return new(CaseStatusData) },
	PartyAdded:             func() any { return new(PartyData) },
	PartyUpdated:           func() any { return new(PartyData) },
	PartyRemoved:           func() any { return new(PartyRemovedData) },
	HearingScheduled:       func() any { return new(HearingScheduledData) },
	HearingRescheduled:     func() any { return new(HearingRescheduledData) },
	HearingCancelled:       func() any { return new(CancelledData) },
	AppointmentScheduled:   func() any { return new(AppointmentScheduledData) },
	AppointmentRescheduled: func() any { return new(AppointmentRescheduledData) },
	AppointmentCancelled:   func() any { return new(AppointmentCancelledData) },
	FilingDue:              func() any { return new(FilingDueData) },
	FilingExtended:         func() any { return new(FilingExtendedData) },
	FilingCompleted:        func() any { return new(FilingCompletedData) },
	FilingWithdrawn:        func() any { return new(FilingWithdrawnData) },
	TriggerRecorded:        func() any { return new(TriggerRecordedData) },
	DeadlineComputed:       func() any { return new(DeadlineComputedData) },
	DeadlineOverridden:     func() any { return new(DeadlineOverriddenData) },
	DeadlineCompleted:      func() any { return new(DeadlineCompletedData) },
	DeadlineSuperseded:     func() any { return new(DeadlineSupersededData) },
	ReminderPolicySet:      func() any { return new(ReminderPolicySetData) },
	ReminderSent:           func() any { return new(ReminderOutcomeData) },
	ReminderFailed:         func() any { return new(ReminderOutcomeData) },
}

// Known reports whether typ is in the catalogue.
func Known(typ string) bool { _, ok := payloads[typ]; return ok }
