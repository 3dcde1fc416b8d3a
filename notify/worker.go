package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/oklog/ulid/v2"
	"github.com/robfig/cron/v3"

	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// Worker defaults.
const (
	// DefaultTick is how often the worker sweeps.
	DefaultTick = 15 * time.Second
	// DefaultConcurrency is how many sends a channel has in flight at most.
	DefaultConcurrency = 8
	// DefaultAttempts is how often a message is tried.
	DefaultAttempts = 3
	// DefaultBackoff is the wait after a first failed attempt.
	DefaultBackoff = time.Second
	// DefaultAttemptTimeout bounds one send.
	DefaultAttemptTimeout = 30 * time.Second
)

// maxErrorText bounds the error stored in reminder.failed (the catalogue's text limit).
const maxErrorText = 2000

// WorkerConfig holds what a Worker needs. Planner, Channels, Record, JetStream and WaitFor are
// required; the rest have defaults.
type WorkerConfig struct {
	// Planner is the plan to sweep.
	Planner *Planner
	// Channels delivers messages; at least one channel must have a Sender.
	Channels Channels
	// Record appends reminder.sent or reminder.failed to a case, once per key however often
	// it is called (api.Service.Record).
	Record func(ctx context.Context, caseID, typ string, data any, key string) error
	// JetStream holds the claims bucket and the event stream (events.Store.JetStream).
	JetStream jetstream.JetStream
	// WaitFor blocks until the projections have replayed the stream and applied the event at
	// seq (projections.Runner.WaitFor). The worker sweeps only once the replay at start is
	// done, since outcomes recorded before a restart are what keeps it from sending again, and
	// before each send waits for the case's last event, so a change made on another instance
	// between claim and send is seen.
	WaitFor func(ctx context.Context, seq uint64) error

	// Now returns the current time; defaults to time.Now. Tests replace it.
	Now func() time.Time
	// Tick is how often Start sweeps (DOCKET_REMINDER_TICK): default 15s, at least 1s.
	Tick time.Duration
	// AgendaSpec is the daily agenda's cron spec, applied in each party's time zone
	// (DOCKET_AGENDA_CRON); default DefaultAgendaSpec. A spec that starts with CRON_TZ= fixes
	// one zone for everyone.
	AgendaSpec string
	// Concurrency bounds the sends in flight per channel, so a slow provider holds up only
	// its own channel; default 8.
	Concurrency int
	// Attempts is how often a message is tried before it is recorded as failed; default 3.
	Attempts int
	// Backoff is the wait after the first failed attempt, four times longer after each
	// further one (1s, 4s, 16s); default 1s. A retry waits for the first sweep after it.
	Backoff time.Duration
	// AttemptTimeout bounds one send; default 30s, and less than ClaimTTL.
	AttemptTimeout time.Duration
	// ClaimTTL is how long a claim keeps other instances off a message; default
	// DefaultClaimTTL, at least 1s.
	ClaimTTL time.Duration
	// Replicas is the claims bucket's replica count (3 in production); default 1.
	Replicas int
	// Logger receives the worker's log; defaults to slog.Default().
	Logger *slog.Logger
}

// Worker sends what the plan says is due: on each tick it takes the due reminders, change
// notices and agendas from the planner's index, claims each in the claims bucket (one
// instance wins), checks it is still wanted, sends it with retries, and records the outcome
// on the case. The outcome, idempotent by the message id, is what stops every instance, this
// one after a restart included, from sending it again; the claim guards the moments before
// the outcome is recorded.
type Worker struct {
	cfg      WorkerConfig
	agenda   *agendaSchedule
	instance string
	log      *slog.Logger

	openMu sync.Mutex
	kv     jetstream.KeyValue
	stream jetstream.Stream

	sweepMu sync.Mutex // one sweep at a time

	mu          sync.Mutex
	states      map[string]*attempt
	agendas     map[string]agendaJob
	agendaSince time.Time
	cron        *cron.Cron
	cancel      context.CancelFunc
}

// attempt is this instance's progress on a message it has claimed.
type attempt struct {
	claimed  time.Time
	attempts int
	next     time.Time
	// outcome is set once the message is sent (reminder.sent) or given up (reminder.failed);
	// while set, only recording is retried, never the send.
	outcome    string
	providerID string
	err        string
	// recordOn are the cases the outcome goes to.
	recordOn []string
}

// NewWorker returns a worker; it panics when a required dependency is missing and returns an
// error for a setting out of range.
func NewWorker(cfg WorkerConfig) (*Worker, error) {
	c := cfg.Channels
	if cfg.Planner == nil || cfg.Record == nil || cfg.JetStream == nil || cfg.WaitFor == nil || (c.Email == nil && c.SMS == nil && c.Webhook == nil) {
		panic("notify: NewWorker needs a Planner, Channels, Record, JetStream and WaitFor")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	cfg.Tick = orDefault(cfg.Tick, DefaultTick)
	cfg.Backoff = orDefault(cfg.Backoff, DefaultBackoff)
	cfg.AttemptTimeout = orDefault(cfg.AttemptTimeout, DefaultAttemptTimeout)
	cfg.ClaimTTL = orDefault(cfg.ClaimTTL, DefaultClaimTTL)
	cfg.Concurrency = orDefault(cfg.Concurrency, DefaultConcurrency)
	cfg.Attempts = orDefault(cfg.Attempts, DefaultAttempts)
	cfg.Replicas = orDefault(cfg.Replicas, 1)
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	switch {
	case cfg.Tick < time.Second:
		return nil, fmt.Errorf("reminder tick %s: at least 1s", cfg.Tick)
	case cfg.ClaimTTL < time.Second:
		return nil, fmt.Errorf("claim ttl %s: at least 1s", cfg.ClaimTTL)
	case cfg.AttemptTimeout >= cfg.ClaimTTL:
		return nil, fmt.Errorf("attempt timeout %s: must be less than the claim ttl %s, or another instance could send while this one still is", cfg.AttemptTimeout, cfg.ClaimTTL)
	case cfg.Concurrency < 1 || cfg.Attempts < 1 || cfg.Replicas < 1 || cfg.Backoff < 0:
		return nil, errors.New("reminder worker: concurrency, attempts and replicas must be positive")
	}
	// Retries run under the first claim; they must end well before it lapses, or another
	// instance could claim the message while this one still tries it.
	var budget time.Duration
	for n := 1; n < cfg.Attempts; n++ {
		budget += max(backoff(cfg.Backoff, n), cfg.Tick) + cfg.AttemptTimeout
	}
	if budget >= cfg.ClaimTTL/2 {
		return nil, fmt.Errorf("reminder worker: %d attempts may take %s, more than half the claim ttl %s", cfg.Attempts, budget+cfg.AttemptTimeout, cfg.ClaimTTL)
	}
	agenda, err := parseAgenda(cfg.AgendaSpec)
	if err != nil {
		return nil, err
	}
	return &Worker{cfg: cfg, agenda: agenda, instance: ulid.Make().String(), log: cfg.Logger,
		states: map[string]*attempt{}, agendas: map[string]agendaJob{}}, nil
}

func orDefault[T int | time.Duration](v, d T) T {
	if v == 0 {
		return d
	}
	return v
}

// Start opens the claims bucket and sweeps every Tick until Stop or the end of ctx.
func (w *Worker) Start(ctx context.Context) error {
	if _, err := w.claims(ctx); err != nil {
		return err
	}
	runCtx, cancel := context.WithCancel(ctx)
	logger := cronLogger{w.log}
	c := cron.New(cron.WithLogger(logger), cron.WithChain(cron.Recover(logger), cron.SkipIfStillRunning(logger)))
	_, err := c.AddFunc("@every "+w.cfg.Tick.String(), func() {
		if err := w.Sweep(runCtx); err != nil && runCtx.Err() == nil {
			w.log.Warn("reminder sweep", "err", err)
		}
	})
	if err != nil {
		cancel()
		return fmt.Errorf("reminder tick: %w", err)
	}
	w.mu.Lock()
	w.cron, w.cancel = c, cancel
	w.mu.Unlock()
	c.Start()
	return nil
}

// Stop ends the ticks and waits for the sweep in progress: sends already started finish and
// their outcomes are recorded; nothing new starts.
func (w *Worker) Stop() {
	w.mu.Lock()
	c, cancel := w.cron, w.cancel
	w.cron, w.cancel = nil, nil
	w.mu.Unlock()
	if c == nil {
		return
	}
	cancel()
	<-c.Stop().Done()
}

// Sweep runs one tick at Now: it sends everything due and waits for those sends. Start calls
// it on every tick; tests call it with a fake clock.
func (w *Worker) Sweep(ctx context.Context) error {
	w.sweepMu.Lock()
	defer w.sweepMu.Unlock()
	readyCtx, cancel := context.WithTimeout(ctx, w.cfg.Tick)
	err := w.cfg.WaitFor(readyCtx, 0)
	cancel()
	if err != nil {
		return fmt.Errorf("sweep: projections not caught up: %w", err)
	}
	kv, err := w.claims(ctx)
	if err != nil {
		return err
	}
	tasks := w.tasks(w.cfg.Now())
	byChannel := map[string][]task{}
	for _, t := range tasks {
		byChannel[t.r.Channel] = append(byChannel[t.r.Channel], t)
	}
	var wg sync.WaitGroup
	for _, ts := range byChannel {
		queue := make(chan task)
		for range min(w.cfg.Concurrency, len(ts)) {
			wg.Go(func() {
				for t := range queue {
					w.run(ctx, kv, t)
				}
			})
		}
		wg.Go(func() {
			defer close(queue)
			for _, t := range ts {
				select {
				case queue <- t:
				case <-ctx.Done():
					return
				}
			}
		})
	}
	wg.Wait()
	return nil
}

// task is one message a sweep considers.
type task struct {
	r      Reminder
	agenda *agendaJob
}

// tasks returns what is due at now: the planner's due reminders and notices, and the agendas
// whose time has come. It forgets the progress on messages no longer due.
func (w *Worker) tasks(now time.Time) []task {
	var out []task
	for _, r := range w.cfg.Planner.due(now) {
		out = append(out, task{r: r})
	}
	recipients := w.cfg.Planner.agendaRecipients(now)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.scheduleAgendas(recipients, now)
	for id, job := range w.agendas {
		if !now.Before(job.from) {
			delete(w.agendas, id)
			continue
		}
		out = append(out, task{r: job.r, agenda: &job})
	}
	live := make(map[string]bool, len(out))
	for _, t := range out {
		live[t.r.ID] = true
	}
	for id := range w.states {
		if !live[id] {
			delete(w.states, id)
		}
	}
	return out
}

// scheduleAgendas queues an agenda for every attorney and paralegal whose agenda time passed
// since the last sweep. w.mu is held.
func (w *Worker) scheduleAgendas(recipients map[string][]string, now time.Time) {
	if w.agendaSince.IsZero() {
		w.agendaSince = now.Add(-agendaLookback)
	}
	for zone, parties := range recipients {
		loc := loadZone(zone)
		if loc == nil {
			loc = time.UTC
		}
		fired, next := lastFiring(w.agenda.in(zone), w.agendaSince, now)
		if fired.IsZero() {
			continue
		}
		for _, pid := range parties {
			job := newAgendaJob(pid, loc, fired, next)
			if _, queued := w.agendas[job.r.ID]; !queued && now.Before(job.from) {
				w.agendas[job.r.ID] = job
			}
		}
	}
	w.agendaSince = now
}

// run takes one message as far as it can go in this sweep.
func (w *Worker) run(ctx context.Context, kv jetstream.KeyValue, t task) {
	if ctx.Err() != nil {
		return
	}
	now := w.cfg.Now()
	id := t.r.ID
	w.mu.Lock()
	st := w.states[id]
	w.mu.Unlock()
	switch {
	case st != nil && st.outcome != "":
		w.record(ctx, t, st)
		return
	case st != nil && now.Before(st.next):
		return
	case st != nil && now.Sub(st.claimed) > w.cfg.ClaimTTL/2:
		// Retries have taken longer than NewWorker allowed for (sweeps held up): the claim
		// may lapse under us, so start over with a fresh claim rather than risk sending
		// alongside another instance.
		w.forget(id)
		return
	case st == nil:
		if t.agenda != nil && !w.agendaWanted(*t.agenda) {
			return
		}
		won, err := claim(ctx, kv, id, w.instance, now, w.cfg.ClaimTTL)
		if err != nil {
			w.log.Warn("reminder claim", "reminder", t.r.describe(), "err", err)
			return
		}
		if !won {
			return
		}
		st = &attempt{claimed: now}
		w.mu.Lock()
		w.states[id] = st
		w.mu.Unlock()
	}
	msg, cases, ok, err := w.current(ctx, t, now)
	if err != nil {
		// This instance cannot tell yet whether the message is still wanted; it keeps the
		// claim and asks again next sweep.
		w.log.Warn("reminder check", "reminder", t.r.describe(), "err", err)
		return
	}
	if !ok {
		// Moved, cancelled, sent elsewhere or begun since it was planned: not sent. The claim
		// lapses on its own.
		w.forget(id)
		return
	}
	// Shutting down does not cut a send short: its outcome must be recorded.
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.AttemptTimeout)
	providerID, err := w.cfg.Channels.Send(sendCtx, t.r.Channel, msg)
	cancel()
	st.attempts++
	switch {
	case err == nil:
		st.outcome, st.providerID = events.ReminderSent, providerID
	case IsPermanent(err) || st.attempts >= w.cfg.Attempts:
		st.outcome, st.err = events.ReminderFailed, truncate(err.Error(), maxErrorText)
	default:
		st.next = w.cfg.Now().Add(backoff(w.cfg.Backoff, st.attempts))
		w.log.Warn("reminder send failed; will retry", "reminder", t.r.describe(), "attempt", st.attempts, "retry_at", st.next, "err", err)
		return
	}
	st.recordOn = cases
	w.record(ctx, t, st)
}

// backoff returns the wait after the n-th failed attempt: base, then four times longer each
// time.
func backoff(base time.Duration, n int) time.Duration {
	d := base
	for range n - 1 {
		d *= 4
	}
	return d
}

func (w *Worker) forget(id string) {
	w.mu.Lock()
	delete(w.states, id)
	w.mu.Unlock()
}

// agendaWanted reports whether an agenda still has something to say to someone who has not
// had it, and drops it from the queue when not.
func (w *Worker) agendaWanted(job agendaJob) bool {
	p := w.cfg.Planner
	if !p.agendaSent(job.r.PartyID, job.r.ID) {
		if entries, _, _, reachable := p.agenda(job.r.PartyID, job.from, job.to); len(entries) > 0 && reachable {
			return true
		}
	}
	w.mu.Lock()
	delete(w.agendas, job.r.ID)
	w.mu.Unlock()
	return false
}

// current returns the message for t as things stand now, after this instance has applied
// every event of the cases concerned, and the cases its outcome is recorded on; ok is false
// when it is no longer to be sent.
func (w *Worker) current(ctx context.Context, t task, now time.Time) (msg Message, cases []string, ok bool, err error) {
	p := w.cfg.Planner
	if t.agenda != nil {
		job := *t.agenda
		_, _, cases, _ = p.agenda(job.r.PartyID, job.from, job.to)
		if err := w.catchUp(ctx, cases...); err != nil {
			return Message{}, nil, false, err
		}
		if p.agendaSent(job.r.PartyID, job.r.ID) {
			return Message{}, nil, false, nil
		}
		entries, rcpt, cases, reachable := p.agenda(job.r.PartyID, job.from, job.to)
		if len(entries) == 0 || !reachable {
			return Message{}, nil, false, nil
		}
		return composeAgenda(job.r, rcpt, job.zone, job.from, job.to, entries), cases, true, nil
	}
	if err := w.catchUp(ctx, t.r.CaseID); err != nil {
		return Message{}, nil, false, err
	}
	r, ok := p.current(t.r.CaseID, t.r.ID, now)
	if !ok {
		return Message{}, nil, false, nil
	}
	p.cases.Read(r.CaseID, func(c *projections.Case) { msg, ok = composeItem(c, r, now) })
	return msg, []string{r.CaseID}, ok, nil
}

// catchUp waits until this instance has applied the last stored event of each case.
func (w *Worker) catchUp(ctx context.Context, caseIDs ...string) error {
	ctx, cancel := context.WithTimeout(ctx, w.cfg.AttemptTimeout)
	defer cancel()
	st, err := w.eventStream(ctx)
	if err != nil {
		return err
	}
	for _, id := range caseIDs {
		m, err := st.GetLastMsgForSubject(ctx, events.CaseSubject(id))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		} else if err != nil {
			return fmt.Errorf("last event of %s: %w", id, err)
		}
		if err := w.cfg.WaitFor(ctx, m.Sequence); err != nil {
			return err
		}
	}
	return nil
}

// record appends the outcome to every case it concerns, keyed by the message id so that a
// repeated record appends nothing. On failure the outcome stays pending and the next sweep
// records it again, without sending again.
func (w *Worker) record(ctx context.Context, t task, st *attempt) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.cfg.AttemptTimeout)
	defer cancel()
	data := events.ReminderOutcomeData{ReminderID: t.r.ID, PartyID: t.r.PartyID, Channel: t.r.Channel, ItemID: t.r.ItemID,
		DueAt: t.r.DueAt, Attempts: st.attempts, ProviderID: st.providerID, Error: st.err}
	for _, caseID := range st.recordOn {
		if err := w.cfg.Record(ctx, caseID, st.outcome, data, t.r.ID); err != nil {
			w.log.Error("record reminder outcome; will retry", "reminder", t.r.describe(), "outcome", st.outcome, "err", err)
			return
		}
	}
	if st.outcome == events.ReminderSent {
		w.log.Info("reminder sent", "reminder", t.r.describe(), "attempts", st.attempts, "provider_id", st.providerID)
	} else {
		w.log.Error("reminder failed", "reminder", t.r.describe(), "attempts", st.attempts, "err", st.err)
	}
	w.forget(t.r.ID)
	if t.agenda != nil {
		w.mu.Lock()
		delete(w.agendas, t.r.ID)
		w.mu.Unlock()
	}
}

// claims returns the claims bucket, opening it on first use.
func (w *Worker) claims(ctx context.Context) (jetstream.KeyValue, error) {
	w.openMu.Lock()
	defer w.openMu.Unlock()
	if w.kv == nil {
		kv, err := openClaims(ctx, w.cfg.JetStream, w.cfg.Replicas, w.cfg.ClaimTTL)
		if err != nil {
			return nil, err
		}
		w.kv = kv
	}
	return w.kv, nil
}

// eventStream returns the event stream, looked up on first use.
func (w *Worker) eventStream(ctx context.Context) (jetstream.Stream, error) {
	w.openMu.Lock()
	defer w.openMu.Unlock()
	if w.stream == nil {
		st, err := w.cfg.JetStream.Stream(ctx, events.StreamName)
		if err != nil {
			return nil, fmt.Errorf("event stream: %w", err)
		}
		w.stream = st
	}
	return w.stream, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// cronLogger sends robfig/cron's log to slog; its chatter (every wake-up) goes to debug.
type cronLogger struct{ l *slog.Logger }

func (c cronLogger) Info(msg string, kv ...any) { c.l.Debug("cron: "+msg, kv...) }

func (c cronLogger) Error(err error, msg string, kv ...any) {
	c.l.Error("cron: "+msg, append(kv, "err", err)...)
}
