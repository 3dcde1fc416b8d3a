package projections_test

import (
	"strings"
	"testing"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// history folds events of the given types and payloads into a fresh case, numbering them.
type history struct {
	t   *testing.T
	c   *projections.Case
	seq uint64
}

func newHistory(t *testing.T) *history {
	h := &history{t: t, c: projections.NewCase("c-1")}
	h.add(events.CaseOpened, events.CaseOpenedData{DocketNumber: "1:26-cv-7", Title: "A v. B", RuleSet: "frcp",
		Court: events.Court{ID: "cand", Name: "N.D. Cal.", TimeZone: "America/Los_Angeles"}})
	return h
}

func (h *history) add(typ string, data any) {
	h.t.Helper()
	h.seq++
	e, err := events.New(typ, "c-1", "test", "tester", time.Date(2026, 11, 1, 0, 0, int(h.seq), 0, time.UTC), data)
	if err != nil {
		h.t.Fatal(err)
	}
	e.Seq = h.seq
	if err := h.c.Apply(e); err != nil {
		h.t.Fatal(err)
	}
}

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestFoldHearingLifecycle(t *testing.T) {
	h := newHistory(t)
	h.add(events.HearingScheduled, events.HearingScheduledData{HearingID: "h-1", Title: "Motion", Start: ts("2026-12-03T09:00:00-08:00"), End: ts("2026-12-03T10:00:00-08:00")})
	h.add(events.HearingRescheduled, events.HearingRescheduledData{HearingID: "h-1", Start: ts("2026-12-04T09:00:00-08:00"), End: ts("2026-12-04T10:00:00-08:00")})
	h.add(events.HearingCancelled, events.CancelledData{HearingID: "h-1", Reason: "settled"})
	got := h.c.Hearings["h-1"]
	if got.Status != calendar.StatusCancelled || got.Revision != 2 || !got.Start.Equal(ts("2026-12-04T17:00:00Z")) || h.c.Version != 4 {
		t.Fatalf("hearing = %+v, version %d", got, h.c.Version)
	}
	e := h.c.Entries()[0]
	if e.UID != "c-1.hearing.h-1@docket" || e.Sequence != 2 || e.Status != calendar.StatusCancelled || !strings.Contains(e.Description, "Reason: settled") {
		t.Fatalf("entry = %+v", e)
	}
	if e.Start.Time.Location().String() != "America/Los_Angeles" {
		t.Errorf("entry start in %s; want the court's zone", e.Start.Time.Location())
	}
}

func TestFoldSeriesExceptions(t *testing.T) {
	h := newHistory(t)
	h.add(events.AppointmentScheduled, events.AppointmentScheduledData{AppointmentID: "a-1", Title: "Prep", Start: ts("2026-12-01T16:00:00-08:00"), End: ts("2026-12-01T17:00:00-08:00"), RRule: "FREQ=WEEKLY;COUNT=4"})
	h.add(events.AppointmentCancelled, events.AppointmentCancelledData{AppointmentID: "a-1", Occurrence: ptr(ts("2026-12-08T16:00:00-08:00"))})
	h.add(events.AppointmentRescheduled, events.AppointmentRescheduledData{AppointmentID: "a-1", Occurrence: ptr(ts("2026-12-15T16:00:00-08:00")), Start: ts("2026-12-16T10:00:00-08:00"), End: ts("2026-12-16T11:00:00-08:00")})
	h.add(events.AppointmentRescheduled, events.AppointmentRescheduledData{AppointmentID: "a-1", Occurrence: ptr(ts("2026-12-15T16:00:00-08:00")), Start: ts("2026-12-16T11:00:00-08:00"), End: ts("2026-12-16T12:00:00-08:00")})
	entries := h.c.Entries()
	if len(entries) != 2 {
		t.Fatalf("entries = %d; want the series and one override", len(entries))
	}
	series, moved := entries[0], entries[1]
	if series.RRule == "" || len(series.ExDates) != 1 || !series.ExDates[0].Equal(ts("2026-12-08T16:00:00-08:00")) {
		t.Fatalf("series = %+v", series)
	}
	if moved.UID != series.UID || !moved.RecurrenceID.Equal(ts("2026-12-15T16:00:00-08:00")) || moved.Sequence != 1 || !moved.Start.Time.Equal(ts("2026-12-16T11:00:00-08:00")) {
		t.Fatalf("override = %+v", moved)
	}
	occ := calendar.Expand(entries, ts("2026-11-01T00:00:00Z"), ts("2027-01-31T00:00:00Z"))
	if len(occ) != 3 {
		t.Fatalf("expanded to %d occurrences; want 3 (4 less one cancelled, one moved)", len(occ))
	}
}

func TestFoldDeadlineRecomputationKeepsOverride(t *testing.T) {
	h := newHistory(t)
	d := func(due string) events.DeadlineComputedData {
		w, _ := calendar.ParseWhen(due)
		return events.DeadlineComputedData{DeadlineID: "t-1-answer", TriggerID: "t-1", RuleID: "answer", Citation: "Fed. R. Civ. P. 12(a)(1)(A)(i)", Title: "Answer", Due: w, Extendable: true}
	}
	h.add(events.DeadlineComputed, d("2026-11-23"))
	order, _ := calendar.ParseWhen("2026-12-15")
	h.add(events.DeadlineOverridden, events.DeadlineOverriddenData{DeadlineID: "t-1-answer", Due: order, Reason: "ECF 12"})
	h.add(events.DeadlineComputed, d("2026-11-30"))
	got := h.c.Deadlines["t-1-answer"]
	if got.Due.String() != "2026-11-30" || got.Effective().String() != "2026-12-15" || got.Revision != 2 {
		t.Fatalf("deadline = %+v", got)
	}
	h.add(events.DeadlineSuperseded, events.DeadlineSupersededData{DeadlineID: "t-1-answer"})
	if e := h.c.Entries()[0]; e.Status != calendar.StatusCancelled || e.Start.Date.String() != "2026-12-15" {
		t.Fatalf("superseded entry = %+v", e)
	}
}

func TestCheckAgainstState(t *testing.T) {
	h := newHistory(t)
	h.add(events.PartyAdded, events.PartyData{PartyID: "p-1", Role: "attorney"})
	check := func(c *projections.Case, typ string, data any) error {
		e, err := events.New(typ, "c-1", "test", "", time.Now(), data)
		if err != nil {
			t.Fatal(err)
		}
		p, err := events.Decode(typ, e.Data, "/data")
		if err != nil {
			t.Fatal(err)
		}
		return c.Check(e, p, "/data")
	}
	hearing := events.HearingScheduledData{HearingID: "h-1", Title: "T", Start: ts("2026-12-03T09:00:00-08:00"), End: ts("2026-12-03T10:00:00-08:00"), Attendees: []string{"p-1"}}
	if err := check(h.c, events.HearingScheduled, hearing); err != nil {
		t.Fatal(err)
	}
	if err := check(nil, events.PartyAdded, events.PartyData{PartyID: "p-2"}); docket.ErrorCode(err) != docket.ENOTFOUND {
		t.Errorf("event on a missing case = %v", err)
	}
	// A clone takes changes without touching the original.
	clone := h.c.Clone()
	h2 := &history{t: t, c: clone, seq: h.seq}
	h2.add(events.HearingScheduled, hearing)
	h2.add(events.PartyRemoved, events.PartyRemovedData{PartyID: "p-1"})
	if _, ok := h.c.Hearings["h-1"]; ok || h.c.Parties["p-1"] == nil {
		t.Fatal("changing the clone changed the original")
	}
	if err := check(clone, events.HearingScheduled, hearing); docket.ErrorCode(err) != docket.ECONFLICT {
		t.Errorf("scheduling h-1 twice = %v; want conflict", err)
	}
	h.add(events.CaseClosed, events.CaseStatusData{})
	if err := check(h.c, events.HearingScheduled, hearing); docket.ErrorCode(err) != docket.ECONFLICT {
		t.Errorf("scheduling on a closed case = %v; want conflict", err)
	}
	if err := check(h.c, events.CaseReopened, events.CaseStatusData{}); err != nil {
		t.Errorf("reopening = %v", err)
	}
}

func ptr[T any](v T) *T { return &v }
