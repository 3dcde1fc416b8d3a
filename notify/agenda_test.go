package notify_test

import (
	"testing"

	"github.com/docket/docket/events"
	"github.com/docket/docket/internal/natstest"
	"github.com/docket/docket/notify"
)

func TestAgendaOnlyWhenSomethingToSayAndOnce(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	a := newInstance(t, store, clock, rec.channels(), nil)
	a.append(openCase, ann, pat,
		// Tuesday Dec 1 for the attorney; nothing for the paralegal until the filing on Dec 10.
		draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"Motion hearing","start":"2026-12-01T09:00:00-08:00","end":"2026-12-01T10:00:00-08:00","location":{"courtroom":"4"},"attendees":["p-ann"]}`},
		draft{events.HearingScheduled, `{"hearing_id":"h-2","title":"Pretrial conference","start":"2026-12-07T09:00:00-08:00","end":"2026-12-07T10:00:00-08:00","attendees":["p-ann"]}`},
		filing)

	// Monday 17:00 in New York: the attorney's agenda for Tuesday.
	clock.Set(at("2026-11-30T17:00:30-05:00"))
	a.sweep()
	a.sweep()
	got := rec.deliveries(notify.KindAgenda)
	if len(got) != 1 {
		t.Fatalf("agendas at 17:00 New York: %d; want 1", len(got))
	}
	m := got[0].Msg
	if got[0].Channel != notify.ChannelEmail || m.Recipient.PartyID != "p-ann" || m.Subject != "Agenda for Tue Dec 1: 1 item" {
		t.Errorf("agenda %s to %s, subject %q; want an email to p-ann for Tue Dec 1", got[0].Channel, m.Recipient.PartyID, m.Subject)
	}
	if len(m.Details) != 1 || m.Details[0].Label != "12:00 PM" || m.Details[0].Value != "Hearing: Motion hearing — 3:26-cv-01234 — Doe v. Acme (Courtroom 4)" {
		t.Errorf("agenda details = %+v; want the hearing at 12:00 PM New York time", m.Details)
	}

	// Monday 17:00 in Los Angeles: the paralegal's agenda time, with nothing on Tuesday.
	clock.Set(at("2026-11-30T17:00:30-08:00"))
	a.sweep()
	if n := len(rec.deliveries(notify.KindAgenda)); n != 1 {
		t.Errorf("agendas after the paralegal's time: %d; want still 1 (nothing to say)", n)
	}

	// A restart within the evening finds the agenda's outcome and does not send it again.
	b := newInstance(t, store, clock, rec.channels(), nil)
	b.sweep()
	if n := len(rec.deliveries(notify.KindAgenda)); n != 1 {
		t.Errorf("after a restart: %d agendas; want 1", n)
	}
	sent := b.planner.Planned("c-1", "p-ann", notify.StatusSent)
	var recorded bool
	for _, r := range sent {
		recorded = recorded || (r.Kind == notify.KindAgenda && r.ID == m.ID && r.ItemID == "agenda-2026-12-01")
	}
	if !recorded {
		t.Errorf("agenda %s not among the sent reminders: %+v", m.ID, sent)
	}

	// Friday's agenda covers the weekend and Monday.
	clock.Set(at("2026-12-04T17:00:30-05:00"))
	b.sweep()
	got = rec.deliveries(notify.KindAgenda)
	if len(got) != 2 || got[1].Msg.Subject != "Agenda for Sat Dec 5 – Mon Dec 7: 1 item" {
		var subjects []string
		for _, d := range got {
			subjects = append(subjects, d.Msg.Subject)
		}
		t.Errorf("agendas after Friday: %q; want Friday's to cover Sat Dec 5 – Mon Dec 7", subjects)
	}
}
