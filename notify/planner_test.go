package notify_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
)

// folds is a Cases read model with a Planner after it, fed as the runner feeds them.
type folds struct {
	t       *testing.T
	cases   *projections.Cases
	planner *notify.Planner
	seq     uint64
	now     time.Time
	log     []events.Event
}

func newFolds(t *testing.T) *folds {
	f := &folds{t: t, cases: projections.NewCases(), now: now}
	f.planner = notify.NewPlanner(f.cases)
	f.planner.Now = func() time.Time { return f.now }
	return f
}

// apply stores drafts on case c-1 at when and feeds them to both folds; it returns the events.
func (f *folds) apply(when time.Time, ds ...draft) []events.Event {
	f.t.Helper()
	evs := caseEvents(f.t, "c-1", when, f.seq+1, ds...)
	f.seq += uint64(len(ds))
	f.log = append(f.log, evs...)
	for _, e := range evs {
		if err := f.cases.Apply(e); err != nil {
			f.t.Fatal(err)
		}
		if err := f.planner.Apply(e); err != nil {
			f.t.Fatal(err)
		}
	}
	return evs
}

// outcome records reminder r as sent (or failed) at when.
func (f *folds) outcome(when time.Time, r notify.Reminder, typ string) {
	f.t.Helper()
	data, err := json.Marshal(events.ReminderOutcomeData{ReminderID: r.ID, PartyID: r.PartyID, Channel: r.Channel,
		ItemID: r.ItemID, DueAt: r.DueAt, Attempts: 1, ProviderID: "prov-1"})
	if err != nil {
		f.t.Fatal(err)
	}
	f.apply(when, draft{typ, string(data)})
}

func kindOf(rs []notify.Reminder, k notify.Kind) []notify.Reminder {
	var out []notify.Reminder
	for _, r := range rs {
		if r.Kind == k {
			out = append(out, r)
		}
	}
	return out
}

func TestPlannerPlannedByCasePartyAndStatus(t *testing.T) {
	f := newFolds(t)
	f.apply(created, richCase()...)
	all := f.planner.Planned("c-1", "", "")
	if len(all) != 29 {
		t.Fatalf("Planned(c-1) = %d reminders; want the 29 of the rich case", len(all))
	}
	if got := f.planner.Planned("", "p-wit", notify.StatusUndeliverable); len(got) != 2 {
		t.Errorf("Planned(party p-wit, undeliverable) = %d; want 2", len(got))
	}
	if got := f.planner.Planned("", "p-ann", notify.StatusPlanned); len(got) != 14 {
		t.Errorf("Planned(party p-ann, planned) = %d; want 14", len(got))
	}
	if got := f.planner.Planned("c-2", "", ""); len(got) != 0 {
		t.Errorf("Planned(unknown case) = %d; want none", len(got))
	}
	if got := f.planner.Len(); got != 27 {
		t.Errorf("Len() = %d; want the 27 deliverable reminders", got)
	}

	first := f.planner.Planned("c-1", "", notify.StatusPlanned)[0]
	f.outcome(first.DueAt, first, events.ReminderSent)
	sent := f.planner.Planned("c-1", "", notify.StatusSent)
	if len(sent) != 1 || sent[0].ID != first.ID || sent[0].Attempts != 1 || sent[0].ProviderID != "prov-1" || sent[0].ItemKind != "hearing" {
		t.Fatalf("Planned(sent) = %+v; want %s with its outcome", sent, first.ID)
	}
	for _, r := range f.planner.Planned("c-1", "", notify.StatusPlanned) {
		if r.ID == first.ID {
			t.Errorf("sent reminder %s is still planned", r.ID)
		}
	}
	if got := f.planner.Len(); got != 26 {
		t.Errorf("Len() after one sent = %d; want 26", got)
	}
}

func TestPlannerChangeNoticeOncePerPartyAndChannel(t *testing.T) {
	f := newFolds(t)
	f.apply(created, richCase()...)
	f.apply(now, draft{events.HearingRescheduled, `{"hearing_id":"h-1","start":"2026-12-04T13:00:00-08:00","end":"2026-12-04T14:00:00-08:00","reason":"court's calendar"}`})
	notices := kindOf(f.planner.Planned("c-1", "", ""), notify.KindChangeNotice)
	// Every attendee the policy reaches, on each of their channels; opposing counsel is not
	// the firm's to tell, and the witness's missing email is reported.
	want := []string{
		"h-1 p-ann email 2026-11-20T20:00:00Z planned",
		"h-1 p-ann sms 2026-11-20T20:00:00Z planned",
		"h-1 p-pat email 2026-11-20T20:00:00Z planned",
		"h-1 p-cli email 2026-11-20T20:00:00Z planned",
		"h-1 p-cli sms 2026-11-20T20:00:00Z planned",
		"h-1 p-wit email 2026-11-20T20:00:00Z undeliverable",
		"h-1 p-wit sms 2026-11-20T20:00:00Z planned",
	}
	diffLines(t, "notices after reschedule", lines(notices), want)
	for _, n := range notices {
		if n.Change == nil || !n.Change.From.Time.Equal(at("2026-12-03T09:00:00-08:00")) || !n.Change.To.Time.Equal(at("2026-12-04T13:00:00-08:00")) || n.Change.Reason != "court's calendar" {
			t.Errorf("notice %s change = %+v; want Dec 3 09:00 → Dec 4 13:00 PST with the reason", n.ID, n.Change)
		}
	}

	// A second move before the first notice went: each party still hears once, from where the
	// hearing was when they were last told.
	f.apply(now.Add(time.Minute), draft{events.HearingRescheduled, `{"hearing_id":"h-1","start":"2026-12-05T13:00:00-08:00","end":"2026-12-05T14:00:00-08:00"}`})
	notices = kindOf(f.planner.Planned("c-1", "", ""), notify.KindChangeNotice)
	if len(notices) != len(want) {
		t.Fatalf("after a second move: %d notices; want %d", len(notices), len(want))
	}
	for _, n := range notices {
		if !n.Change.From.Time.Equal(at("2026-12-03T09:00:00-08:00")) || !n.Change.To.Time.Equal(at("2026-12-05T13:00:00-08:00")) {
			t.Errorf("merged notice %s change = %+v; want Dec 3 → Dec 5", n.ID, n.Change)
		}
	}

	// Once a notice's outcome is recorded it is no longer planned, on replay as well.
	ann := notices[0]
	f.outcome(now.Add(2*time.Minute), ann, events.ReminderSent)
	for _, n := range kindOf(f.planner.Planned("c-1", "", notify.StatusPlanned), notify.KindChangeNotice) {
		if n.ID == ann.ID {
			t.Errorf("notice %s still planned after its outcome", n.ID)
		}
	}
	replay := newFolds(t)
	for _, e := range f.log {
		if err := replay.cases.Apply(e); err != nil {
			t.Fatal(err)
		}
		if err := replay.planner.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	got := kindOf(replay.planner.Planned("c-1", "", ""), notify.KindChangeNotice)
	if len(got) != len(want) {
		t.Errorf("replay: %d notices; want %d (one sent, the rest planned)", len(got), len(want))
	}
	for _, n := range got {
		if n.ID == ann.ID && n.Status != notify.StatusSent {
			t.Errorf("replay: notice %s is %s; want sent", n.ID, n.Status)
		}
	}
}

func TestPlannerCancelNoticeAndNoReminders(t *testing.T) {
	f := newFolds(t)
	f.apply(created, richCase()...)
	f.apply(now, draft{events.HearingCancelled, `{"hearing_id":"h-1","reason":"settled"}`})
	var notices int
	for _, r := range f.planner.Planned("c-1", "", "") {
		if r.ItemID != "h-1" {
			continue
		}
		if r.Kind != notify.KindChangeNotice || r.Change == nil || !r.Change.Cancelled || !r.Change.To.IsZero() {
			t.Errorf("after cancel: %s %s %+v; want only cancellation notices", r.Kind, r.ID, r.Change)
		}
		notices++
	}
	if notices != 7 {
		t.Errorf("cancel: %d notices; want 7", notices)
	}
}

func TestPlannerDropsNoticesAboutThePast(t *testing.T) {
	f := newFolds(t)
	f.apply(created, richCase()...)
	// h-0 was held on Nov 10; moving it on the record to Nov 12 concerns nobody on Nov 20.
	f.apply(created, draft{events.HearingRescheduled, `{"hearing_id":"h-0","start":"2026-11-12T09:00:00-08:00","end":"2026-11-12T09:30:00-08:00"}`})
	if got := kindOf(f.planner.Planned("c-1", "", ""), notify.KindChangeNotice); len(got) != 0 {
		t.Errorf("notices about a past hearing: %v; want none", lines(got))
	}
}

func TestPlannerDeadlineNotices(t *testing.T) {
	f := newFolds(t)
	f.apply(created, richCase()...)
	// Recomputed to the same date: nothing to say.
	f.apply(now, deadline)
	if got := kindOf(f.planner.Planned("c-1", "", ""), notify.KindChangeNotice); len(got) != 0 {
		t.Fatalf("recomputed to the same date: %v; want no notice", lines(got))
	}
	// Recomputed to a later date, then overridden by the court: each is news to the attorney.
	f.apply(now, draft{events.DeadlineComputed, `{"deadline_id":"d-1","trigger_id":"t-1","rule_id":"frcp-12a","citation":"Fed. R. Civ. P. 12(a)(1)(A)(i)","title":"Answer due","due":"2026-12-18","trace":["served 2026-11-27"],"responsible_roles":["attorney"]}`})
	got := kindOf(f.planner.Planned("c-1", "", ""), notify.KindChangeNotice)
	diffLines(t, "deadline recomputed", lines(got), []string{
		"d-1 p-ann email 2026-11-20T20:00:00Z planned",
		"d-1 p-ann sms 2026-11-20T20:00:00Z planned",
	})
	if len(got) > 0 && (got[0].Change.From.String() != "2026-12-15" || got[0].Change.To.String() != "2026-12-18") {
		t.Errorf("change = %+v; want 2026-12-15 → 2026-12-18", got[0].Change)
	}
	f.outcome(now, got[0], events.ReminderSent)
	f.outcome(now, got[1], events.ReminderSent)
	f.apply(now.Add(time.Hour), draft{events.DeadlineOverridden, `{"deadline_id":"d-1","due":"2026-12-21","reason":"order of Nov 20"}`})
	got = kindOf(f.planner.Planned("c-1", "", notify.StatusPlanned), notify.KindChangeNotice)
	if len(got) != 2 || got[0].Change.From.String() != "2026-12-18" || got[0].Change.To.String() != "2026-12-21" {
		t.Errorf("after override: %v %+v; want two notices 2026-12-18 → 2026-12-21", lines(got), got)
	}
}
