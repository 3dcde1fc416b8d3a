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
	"github.com/docket/docket/projections"
)

// smallCase is a hearing attended by an attorney (email and SMS), a paralegal and a client:
// 13 reminders.
func smallCase() []draft {
	h := draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"Case management conference","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","location":{"courtroom":"4"},"attendees":["p-ann","p-pat","p-cli"]}`}
	return []draft{openCase, ann, pat, cli, h}
}

// dueTimes returns the distinct due times of the planned reminders, in order.
func dueTimes(p *notify.Planner) []time.Time {
	var out []time.Time
	for _, r := range p.Planned("c-1", "", notify.StatusPlanned) {
		if !slices.ContainsFunc(out, r.DueAt.Equal) {
			out = append(out, r.DueAt)
		}
	}
	return out
}

func TestWorkerSendsEachDueReminderOnceAndRecordsIt(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	a := newInstance(t, store, clock, rec.channels(), nil)
	a.append(smallCase()...)
	planned := a.planner.Planned("c-1", "", notify.StatusPlanned)
	if len(planned) != 13 {
		t.Fatalf("planned %d reminders; want 13", len(planned))
	}

	// 7 days before: the attorney by email and SMS, the paralegal by email.
	clock.Set(at("2026-11-26T17:00:00Z"))
	a.sweep()
	a.sweep()
	got := rec.deliveries()
	if len(got) != 3 {
		t.Fatalf("after two sweeps 7 days before: %d deliveries; want 3", len(got))
	}
	for _, d := range got {
		if d.Msg.Kind != notify.KindReminder || d.Msg.DueAt.Compare(clock.Now()) != 0 || d.Msg.Subject == "" || d.Msg.Recipient.PartyID == "p-cli" {
			t.Errorf("delivery %s %+v; want a 7-day reminder to ann or pat", d.Channel, d.Msg)
		}
	}
	sent := a.planner.Planned("c-1", "", notify.StatusSent)
	if len(sent) != 3 {
		t.Fatalf("Planned(sent) = %d; want 3", len(sent))
	}
	for _, r := range sent {
		if r.Attempts != 1 || r.ProviderID == "" {
			t.Errorf("outcome of %s: attempts %d, provider id %q; want 1 and an id", r.ID, r.Attempts, r.ProviderID)
		}
	}

	// A restart: a fresh instance replays the outcomes and sends nothing again.
	b := newInstance(t, store, clock, rec.channels(), nil)
	b.sweep()
	if n := len(rec.deliveries()); n != 3 {
		t.Fatalf("after a restart: %d deliveries; want still 3", n)
	}

	// The rest of the ladder, due time by due time.
	for _, due := range dueTimes(b.planner) {
		clock.Set(due)
		b.sweep()
	}
	for id, n := range rec.perID() {
		if n != 1 {
			t.Errorf("reminder %s delivered %d times", id, n)
		}
	}
	if n := len(rec.deliveries()); n != 13 {
		t.Errorf("deliveries = %d; want 13", n)
	}
	for id, n := range outcomes(t, store) {
		if n != 1 {
			t.Errorf("outcome of %s stored %d times", id, n)
		}
	}
}

func TestTwoWorkersSendEachReminderExactlyOnce(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	a := newInstance(t, store, clock, rec.channels(), nil)
	b := newInstance(t, store, clock, rec.channels(), nil)
	// Deadlines come from the rules engine, not from clients: the rest of the rich case.
	a.append(slices.DeleteFunc(richCase(), func(d draft) bool { return d == deadline })...)
	due := dueTimes(a.planner)
	want := len(a.planner.Planned("c-1", "", notify.StatusPlanned))
	for _, d := range due {
		clock.Set(d)
		var wg sync.WaitGroup
		for _, in := range []*instance{a, b} {
			wg.Go(func() {
				if err := in.worker.Sweep(t.Context()); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
	}
	per := rec.perID()
	if len(per) != want {
		t.Errorf("%d reminders delivered; want all %d planned", len(per), want)
	}
	for id, n := range per {
		if n != 1 {
			t.Errorf("reminder %s delivered %d times; want once", id, n)
		}
	}
	for id, n := range outcomes(t, store) {
		if n != 1 {
			t.Errorf("outcome of %s stored %d times; want once", id, n)
		}
	}
}

// hungSender accepts a message and never answers, like an instance that froze or died
// mid-send, until released; then it fails.
type hungSender struct {
	called  chan notify.Message
	release chan struct{}
}

func (h hungSender) Send(ctx context.Context, m notify.Message) (string, error) {
	h.called <- m
	<-h.release
	return "", errProvider
}

func TestClaimOfADeadWorkerExpires(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	short := func(c *notify.WorkerConfig) {
		c.ClaimTTL, c.AttemptTimeout, c.Attempts = time.Second, 500*time.Millisecond, 1
	}
	hung := hungSender{called: make(chan notify.Message, 1), release: make(chan struct{})}
	dead := newInstance(t, store, clock, notify.Channels{Email: hung}, short)
	rec := newRecorder()
	live := newInstance(t, store, clock, rec.channels(), short)
	// One reminder due: the paralegal's email 7 days before.
	dead.append(openCase, pat, draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"CMC","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","attendees":["p-pat"]}`})
	clock.Set(at("2026-11-26T17:00:00Z"))

	sweeping := make(chan struct{})
	go func() { defer close(sweeping); _ = dead.worker.Sweep(context.Background()) }()
	claimed := <-hung.called
	t.Cleanup(func() { close(hung.release); <-sweeping })

	live.sweep()
	if n := len(rec.deliveries()); n != 0 {
		t.Fatalf("live worker sent %d while the claim was held; want 0", n)
	}
	eventually(t, 10*time.Second, "the live worker sends once the dead one's claim expires", func() bool {
		live.sweep()
		return len(rec.deliveries()) > 0
	})
	got := rec.deliveries()
	if len(got) != 1 || got[0].Msg.ID != claimed.ID {
		t.Fatalf("deliveries = %+v; want the claimed reminder %s once", got, claimed.ID)
	}
	if n := outcomes(t, store)[claimed.ID]; n != 1 {
		t.Errorf("outcome stored %d times; want once", n)
	}
	live.sweep()
	if n := len(rec.deliveries()); n != 1 {
		t.Errorf("after another sweep: %d deliveries; want 1", n)
	}
}

func TestWorkerRetriesWithBackoffThenRecords(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	rec := newRecorder()
	// SMS fails twice with a server error, then goes; email always goes.
	rec.fail = func(channel string, m notify.Message, n int) error {
		if channel == notify.ChannelSMS && n <= 2 {
			return errProvider
		}
		return nil
	}
	a := newInstance(t, store, clock, rec.channels(), nil)
	a.append(openCase, ann, draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"CMC","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","attendees":["p-ann"]}`})
	t0 := at("2026-11-26T17:00:00Z")
	steps := []struct {
		at       time.Duration
		sms      int // SMS deliveries so far
		attempts int // SMS attempts so far
	}{
		{0, 0, 1},                           // fails; retry after 1s
		{500 * time.Millisecond, 0, 1},      // too early
		{time.Second, 0, 2},                 // fails; retry after 4s more
		{4 * time.Second, 0, 2},             // too early
		{5 * time.Second, 1, 3},             // goes
		{6 * time.Second, 1, 3},             // recorded: nothing more
		{time.Minute, 1, 3},                 //
		{2*time.Minute + time.Second, 1, 3}, //
	}
	for _, s := range steps {
		clock.Set(t0.Add(s.at))
		a.sweep()
		sms := len(slices.DeleteFunc(rec.deliveries(), func(d accepted) bool { return d.Channel != notify.ChannelSMS }))
		rec.mu.Lock()
		attempts := 0
		for k, n := range rec.attempts {
			if k[:3] == "sms" {
				attempts += n
			}
		}
		rec.mu.Unlock()
		if sms != s.sms || attempts != s.attempts {
			t.Errorf("at +%s: %d SMS sent after %d attempts; want %d after %d", s.at, sms, attempts, s.sms, s.attempts)
		}
		// The failing SMS never holds up the email.
		if email := len(rec.deliveries()) - sms; email != 1 {
			t.Errorf("at +%s: %d emails; want 1", s.at, email)
		}
	}
	for _, r := range a.planner.Planned("c-1", "", notify.StatusSent) {
		if r.Channel == notify.ChannelSMS && r.Attempts != 3 {
			t.Errorf("SMS outcome attempts = %d; want 3", r.Attempts)
		}
	}
}

func TestWorkerFailures(t *testing.T) {
	tests := []struct {
		name     string
		err      error
		attempts int
	}{
		{"permanent error fails at once", notify.Permanent(errProvider), 1},
		{"retryable error fails after the last attempt", errProvider, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store, _ := natstest.Store(t)
			clock := &fakeClock{t: created}
			rec := newRecorder()
			rec.fail = func(string, notify.Message, int) error { return tt.err }
			a := newInstance(t, store, clock, rec.channels(), nil)
			a.append(openCase, pat, draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"CMC","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","attendees":["p-pat"]}`})
			t0 := at("2026-11-26T17:00:00Z")
			for _, d := range []time.Duration{0, time.Second, 5 * time.Second, 21 * time.Second, time.Minute} {
				clock.Set(t0.Add(d))
				a.sweep()
			}
			failed := a.planner.Planned("c-1", "", notify.StatusFailed)
			if len(failed) != 1 || failed[0].Attempts != tt.attempts || failed[0].Error == "" {
				t.Fatalf("Planned(failed) = %+v; want one after %d attempts with the error", failed, tt.attempts)
			}
			rec.mu.Lock()
			n := rec.attempts["email/"+failed[0].ID]
			rec.mu.Unlock()
			if n != tt.attempts {
				t.Errorf("provider saw %d attempts; want %d", n, tt.attempts)
			}
		})
	}
}

func TestNewWorkerChecksItsSettings(t *testing.T) {
	store, _ := natstest.Store(t)
	valid := func() notify.WorkerConfig {
		return notify.WorkerConfig{Planner: notify.NewPlanner(projections.NewCases()), Channels: newRecorder().channels(),
			Record:    func(context.Context, string, string, any, string) error { return nil },
			JetStream: store.JetStream(), WaitFor: func(context.Context, uint64) error { return nil }}
	}
	tests := []struct {
		name string
		mod  func(*notify.WorkerConfig)
		ok   bool
	}{
		{"defaults", func(*notify.WorkerConfig) {}, true},
		{"tick of 1s", func(c *notify.WorkerConfig) { c.Tick = time.Second }, true},
		{"tick under 1s", func(c *notify.WorkerConfig) { c.Tick = 500 * time.Millisecond }, false},
		{"agenda at 07:30 daily", func(c *notify.WorkerConfig) { c.AgendaSpec = "30 7 * * *" }, true},
		{"agenda in one zone", func(c *notify.WorkerConfig) { c.AgendaSpec = "CRON_TZ=Europe/London 0 17 * * 1-5" }, true},
		{"agenda not cron", func(c *notify.WorkerConfig) { c.AgendaSpec = "at five" }, false},
		{"agenda in no zone", func(c *notify.WorkerConfig) { c.AgendaSpec = "CRON_TZ=Nowhere/Land 0 17 * * *" }, false},
		{"attempt outlasting the claim", func(c *notify.WorkerConfig) { c.ClaimTTL, c.AttemptTimeout = time.Minute, time.Minute }, false},
		{"claim under 1s", func(c *notify.WorkerConfig) { c.ClaimTTL = 500 * time.Millisecond }, false},
		{"retries outlasting the claim", func(c *notify.WorkerConfig) { c.Attempts = 6 }, false},
		{"one attempt under a short claim", func(c *notify.WorkerConfig) {
			c.ClaimTTL, c.AttemptTimeout, c.Attempts = time.Second, 500*time.Millisecond, 1
		}, true},
	}
	for _, tt := range tests {
		cfg := valid()
		tt.mod(&cfg)
		if _, err := notify.NewWorker(cfg); (err == nil) != tt.ok {
			t.Errorf("NewWorker(%s) error = %v; want ok %v", tt.name, err, tt.ok)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("NewWorker without Record did not panic")
		}
	}()
	cfg := valid()
	cfg.Record = nil
	_, _ = notify.NewWorker(cfg)
}

func TestWorkerStartTicksAndStops(t *testing.T) {
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: at("2026-11-26T17:00:00Z")}
	rec := newRecorder()
	a := newInstance(t, store, clock, rec.channels(), nil)
	a.append(openCase, pat, draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"CMC","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","attendees":["p-pat"]}`})
	clock.Set(at("2026-12-02T17:00:00Z"))
	if err := a.worker.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	// The cron tick (1s here) runs on the real clock; the fake one says what is due.
	eventually(t, 10*time.Second, "a tick sends the due reminder", func() bool { return len(rec.deliveries()) == 1 })
	a.worker.Stop()
	a.worker.Stop()
}

func TestReminderOverRealSMTPWithICS(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	store, _ := natstest.Store(t)
	clock := &fakeClock{t: created}
	smtpSender := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: notify.TLSNone, From: "Docket <reminders@firm.example>"})
	a := newInstance(t, store, clock, notify.Channels{Email: smtpSender}, nil)
	a.append(openCase, pat, draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"Case management conference","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","location":{"courtroom":"4","address":"450 Golden Gate Ave"},"judge":"Hon. R. Diaz","attendees":["p-pat"]}`})
	clock.Set(at("2026-12-02T17:00:00Z"))
	a.sweep()
	mails := srv.received()
	if len(mails) != 1 || len(mails[0].To) != 1 || mails[0].To[0] != "pat@firm.example" {
		t.Fatalf("SMTP received %+v; want one mail to pat@firm.example", mails)
	}
	p := parseMail(t, mails[0].Data)
	sent := a.planner.Planned("c-1", "", notify.StatusSent)
	if len(sent) != 1 {
		t.Fatalf("Planned(sent) = %d; want 1", len(sent))
	}
	if got, want := p.Header.Get("Message-Id"), "<"+sent[0].ID+"@docket>"; got != want || sent[0].ProviderID != want {
		t.Errorf("Message-ID %q, provider id %q; want %q", got, sent[0].ProviderID, want)
	}
	if p.Subject != "Reminder: Case management conference tomorrow, 9:00 AM PST" {
		t.Errorf("Subject = %q", p.Subject)
	}
	for _, want := range []string{"Dear Pat Kim", "is tomorrow", "When: Thu Dec 3, 2026 9:00 AM PST", "Where: Courtroom 4, 450 Golden Gate Ave", "Judge: Hon. R. Diaz", "Case: 3:26-cv-01234 — Doe v. Acme"} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, p.Text)
		}
	}
	ics := string(p.ICS)
	for _, want := range []string{"UID:c-1.hearing.h-1@docket", "SUMMARY:Case management conference", "DTSTART;TZID=America/Los_Angeles:20261203T090000", "BEGIN:VTIMEZONE"} {
		if !strings.Contains(ics, want) {
			t.Errorf(".ics lacks %q:\n%s", want, ics)
		}
	}
	if p.ICSFilename != "hearing.ics" || p.ICSType != "text/calendar" {
		t.Errorf("attachment %q (%s); want hearing.ics, text/calendar", p.ICSFilename, p.ICSType)
	}
}
