package calendar

import "time"

// Entry kinds.
const (
	KindHearing     = "hearing"
	KindAppointment = "appointment"
	KindFiling      = "filing"
	KindDeadline    = "deadline"
)

// Entry statuses.
const (
	StatusConfirmed = "confirmed"
	StatusCancelled = "cancelled"
	StatusCompleted = "completed"
)

// Entry is one item on a calendar: a hearing, an appointment series or one occurrence of it, a
// filing or a computed deadline. Projections build entries; feeds and agendas render them.
type Entry struct {
	// UID is stable for the life of the item and never reused: "<case>-<kind>-<item>@docket".
	UID    string `json:"uid"`
	CaseID string `json:"case_id"`
	ItemID string `json:"item_id"`
	Kind   string `json:"kind"`
	Title  string `json:"title"`
	// Start and End are times for hearings and appointments and dates for all-day items
	// (End exclusive, the day after for a one-day item).
	Start When `json:"start"`
	End   When `json:"end"`
	// TimeZone is the IANA zone timed values are shown in (the court's, or the series').
	TimeZone    string `json:"time_zone"`
	Location    string `json:"location,omitempty"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url,omitempty"`
	Status      string `json:"status"`
	// Sequence is the item's revision: 0 when created, +1 on every real change.
	Sequence int `json:"sequence"`
	// Created and Modified are the times of the events that created and last changed the item.
	Created  time.Time `json:"created"`
	Modified time.Time `json:"modified"`
	// RRule, ExDates and RecurrenceID describe series (RFC 5545): a series entry has RRule and
	// ExDates; an override of one occurrence has RecurrenceID, its original start.
	RRule        string      `json:"rrule,omitempty"`
	ExDates      []time.Time `json:"exdates,omitempty"`
	RecurrenceID time.Time   `json:"recurrence_id,omitzero"`
	// Internal entries are hidden from feeds for outside parties.
	Internal bool `json:"internal,omitempty"`
	// Parties are the party ids attending or responsible.
	Parties []string `json:"parties,omitempty"`
}
