package notify_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket/docket/events"
	"github.com/docket/docket/internal/natstest"
	"github.com/docket/docket/notify"
)

func TestRescheduleAndCancelNoticeOnceOldRemindersNotSent(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	a := newInstance(t, store, clock, rec.channels(), nil)
	a.append(smallCase()...)
	old := a.planner.Planned("c-1", "", notify.StatusPlanned)

	// On Nov 20 the hearing moves from Dec 3 to Dec 10, 13:00 PST.
	clock.Set(now)
	a.append(draft{events.HearingRescheduled, `{"hearing_id":"h-1","start":"2026-12-10T13:00:00-08:00","end":"2026-12-10T14:00:00-08:00","reason":"judge unavailable"}`})
	a.sweep()
	a.sweep()
	notices := rec.deliveries(notify.KindChangeNotice)
	// ann by email and SMS, pat by email, the client by email and SMS.
	if len(notices) != 5 {
		t.Fatalf("notices after the move: %d; want 5", len(notices))
	}
	for _, d := range notices {
		m := d.Msg
		if d.Channel == notify.ChannelSMS {
			if !strings.Contains(m.SMS, "MOVED") {
				t.Errorf("SMS notice %q does not say it moved", m.SMS)
			}
			continue
		}
		// Each party reads both times in their own zone: ann in New York.
		wasNow := map[string]string{"p-ann": "Thu Dec 3, 2026 12:00 PM EST → Thu Dec 10, 2026 4:00 PM EST",
			"p-pat": "Thu Dec 3, 2026 9:00 AM PST → Thu Dec 10, 2026 1:00 PM PST",
			"p-cli": "Thu Dec 3, 2026 9:00 AM PST → Thu Dec 10, 2026 1:00 PM PST"}[m.Recipient.PartyID]
		var got []string
		for _, dt := range m.Details {
			if dt.Label == "Was" || dt.Label == "Now" {
				got = append(got, dt.Value)
			}
		}
		if strings.Join(got, " → ") != wasNow {
			t.Errorf("notice to %s: Was/Now %q; want %q", m.Recipient.PartyID, strings.Join(got, " → "), wasNow)
		}
		if !strings.Contains(m.Text, "moved") || len(m.ICS) == 0 {
			t.Errorf("notice to %s: text %q, %d bytes of .ics; want the move and the item", m.Recipient.PartyID, m.Text, len(m.ICS))
		}
	}

	// Walk through every time the old and the new ladder fall due: only the new one goes.
	oldIDs := map[string]bool{}
	for _, r := range old {
		oldIDs[r.ID] = true
	}
	times := dueTimes(a.planner)
	for _, r := range old {
		times = append(times, r.DueAt)
	}
	slices.SortFunc(times, time.Time.Compare)
	for _, due := range times {
		if due.After(clock.Now()) {
			clock.Set(due)
			a.sweep()
		}
	}
	for _, d := range rec.deliveries(notify.KindReminder) {
		if oldIDs[d.Msg.ID] {
			t.Errorf("reminder %s of the old time was sent", d.Msg.ID)
		}
	}
	if n := len(rec.deliveries(notify.KindReminder)); n == 0 {
		t.Error("no reminder of the new time was sent")
	}

	// A restart replays the outcomes: no notice goes twice.
	b := newInstance(t, store, clock, rec.channels(), nil)
	b.sweep()
	if n := len(rec.deliveries(notify.KindChangeNotice)); n != 5 {
		t.Errorf("after a restart: %d notices; want still 5", n)
	}
	for id, n := range rec.perID() {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}

func TestCancelNoticeAndNothingAfter(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	a := newInstance(t, store, clock, rec.channels(), nil)
	a.append(smallCase()...)
	old := a.planner.Planned("c-1", "", notify.StatusPlanned)
	clock.Set(now)
	a.append(draft{events.HearingCancelled, `{"hearing_id":"h-1","reason":"settled"}`})
	a.sweep()
	notices := rec.deliveries(notify.KindChangeNotice)
	if len(notices) != 5 {
		t.Fatalf("cancellation notices: %d; want 5", len(notices))
	}
	for _, d := range notices {
		if !strings.HasPrefix(d.Msg.Subject, "Cancelled: ") || !strings.Contains(d.Msg.Text, "cancelled") {
			t.Errorf("notice %q / %q does not say it is cancelled", d.Msg.Subject, d.Msg.Text)
		}
	}
	for _, r := range old {
		clock.Set(r.DueAt)
		a.sweep()
	}
	if n := len(rec.deliveries(notify.KindReminder)); n != 0 {
		t.Errorf("%d reminders sent for a cancelled hearing; want none", n)
	}
}

// gate is a projection that holds the runner back while closed: an instance that lags
// behind the stream.
type gate struct {
	mu sync.Mutex
	ch chan struct{}
}

func newGate() *gate {
	g := &gate{ch: make(chan struct{})}
	close(g.ch)
	return g
}

func (g *gate) Apply(events.Event) error {
	g.mu.Lock()
	ch := g.ch
	g.mu.Unlock()
	<-ch
	return nil
}

func (g *gate) shut() {
	g.mu.Lock()
	g.ch = make(chan struct{})
	g.mu.Unlock()
}

func (g *gate) open() {
	g.mu.Lock()
	defer g.mu.Unlock()
	select {
	case <-g.ch:
	default:
		close(g.ch)
	}
}

func TestItemMovedBetweenClaimAndSendIsNotSent(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	g := newGate()
	var lagging *instance
	// The lagging instance catches up only when the worker asks it to, after its claim.
	lagging = newInstance(t, store, clock, rec.channels(), func(c *notify.WorkerConfig) {
		wait := c.WaitFor
		c.WaitFor = func(ctx context.Context, seq uint64) error {
			if seq > lagging.runner.Applied() {
				g.open()
			}
			return wait(ctx, seq)
		}
	}, g)
	t.Cleanup(g.open) // a runner held back would never stop
	other := newInstance(t, store, clock, newRecorder().channels(), nil)
	lagging.append(smallCase()...)
	due := lagging.planner.Planned("c-1", "", notify.StatusPlanned)[0]
	last, err := store.LastSeq(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if err := other.runner.WaitFor(t.Context(), last); err != nil {
		t.Fatal(err)
	}

	// Another instance moves the hearing while this one is behind; at the old reminder's
	// time this one still plans it, claims it, and must then see the move.
	g.shut()
	clock.Set(now)
	other.append(draft{events.HearingRescheduled, `{"hearing_id":"h-1","start":"2026-12-10T13:00:00-08:00","end":"2026-12-10T14:00:00-08:00"}`})
	clock.Set(due.DueAt)
	lagging.sweep()
	for _, d := range rec.deliveries() {
		if d.Msg.ID == due.ID {
			t.Fatalf("reminder %s of the old time was sent after the move", due.ID)
		}
	}
	if n := len(rec.deliveries(notify.KindChangeNotice)); n != 0 {
		t.Errorf("%d notices sent by the instance that claimed before catching up; want none yet", n)
	}
	lagging.sweep()
	if n := len(rec.deliveries(notify.KindChangeNotice)); n != 5 {
		t.Errorf("next sweep: %d notices; want 5", n)
	}
}
