package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/docket/docket/api"
	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// fakeClock is the time every instance in a test reads; tests move it, nothing sleeps.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// accepted is one message a recording sender accepted.
type accepted struct {
	Channel string
	Msg     notify.Message
}

// recorder is a Sender for every channel that records what it delivers. fail, when set,
// decides the fate of each attempt (n counts attempts of that message and channel from 1).
type recorder struct {
	mu       sync.Mutex
	got      []accepted
	attempts map[string]int
	fail     func(channel string, m notify.Message, n int) error
}

func newRecorder() *recorder { return &recorder{attempts: map[string]int{}} }

func (r *recorder) channels() notify.Channels {
	return notify.Channels{Email: channelSender{r, notify.ChannelEmail}, SMS: channelSender{r, notify.ChannelSMS}, Webhook: channelSender{r, notify.ChannelWebhook}}
}

// deliveries returns what was delivered, optionally only of one kind.
func (r *recorder) deliveries(kinds ...notify.Kind) []accepted {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []accepted
	for _, d := range r.got {
		if len(kinds) == 0 || slices.Contains(kinds, d.Msg.Kind) {
			out = append(out, d)
		}
	}
	return out
}

// perID counts deliveries by message id.
func (r *recorder) perID() map[string]int {
	out := map[string]int{}
	for _, d := range r.deliveries() {
		out[d.Msg.ID]++
	}
	return out
}

type channelSender struct {
	r       *recorder
	channel string
}

func (s channelSender) Send(ctx context.Context, m notify.Message) (string, error) {
	s.r.mu.Lock()
	k := s.channel + "/" + m.ID
	s.r.attempts[k]++
	n, fail := s.r.attempts[k], s.r.fail
	s.r.mu.Unlock()
	if fail != nil {
		if err := fail(s.channel, m, n); err != nil {
			return "", err
		}
	}
	s.r.mu.Lock()
	defer s.r.mu.Unlock()
	s.r.got = append(s.r.got, accepted{s.channel, m})
	return fmt.Sprintf("%s-%d", s.channel, len(s.r.got)), nil
}

// instance is one Docket process over a shared event store: its own projections (cases and
// the planner), its API service, and a reminder worker.
type instance struct {
	t       *testing.T
	store   *events.Store
	cases   *projections.Cases
	planner *notify.Planner
	runner  *projections.Runner
	svc     *api.Service
	worker  *notify.Worker
}

// newInstance starts an instance on store; mod adjusts the worker's configuration. first
// projections run before the case read model (a test uses it to hold them back).
func newInstance(t *testing.T, store *events.Store, clock *fakeClock, ch notify.Channels, mod func(*notify.WorkerConfig), first ...projections.Projection) *instance {
	t.Helper()
	in := &instance{t: t, store: store, cases: projections.NewCases()}
	in.planner = notify.NewPlanner(in.cases)
	in.planner.Now = clock.Now
	feeds := projections.NewFeeds()
	in.runner = projections.NewRunner(store, append(first, in.cases, feeds, in.planner)...)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = in.runner.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	engine, err := rules.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	in.svc = api.NewService(store, in.cases, feeds, in.runner, engine)
	in.svc.Now = clock.Now
	cfg := notify.WorkerConfig{
		Planner:   in.planner,
		Channels:  ch,
		Record:    in.record,
		JetStream: store.JetStream(),
		WaitFor:   in.runner.WaitFor,
		Now:       clock.Now,
		Tick:      time.Second,
		Logger:    discard,
	}
	if mod != nil {
		mod(&cfg)
	}
	in.worker, err = notify.NewWorker(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

// record is the worker's Record: api.Service.Record without its result.
func (in *instance) record(ctx context.Context, caseID, typ string, data any, key string) error {
	_, err := in.svc.Record(ctx, caseID, typ, data, key)
	return err
}

// append stores drafts on case c-1 through the API service (opening it first if need be).
func (in *instance) append(ds ...draft) {
	in.t.Helper()
	var evs []api.Draft
	for _, d := range ds {
		if d.typ == events.CaseOpened {
			if _, err := in.svc.OpenCase(in.t.Context(), "c-1", json.RawMessage(d.data), "", "tester"); err != nil {
				in.t.Fatal(err)
			}
			continue
		}
		evs = append(evs, api.Draft{Type: d.typ, Data: json.RawMessage(d.data)})
	}
	if len(evs) == 0 {
		return
	}
	if _, err := in.svc.Append(in.t.Context(), api.AppendRequest{CaseID: "c-1", Events: evs, Actor: "tester"}); err != nil {
		in.t.Fatal(err)
	}
}

// sweep runs one worker tick and fails the test on error.
func (in *instance) sweep() {
	in.t.Helper()
	if err := in.worker.Sweep(in.t.Context()); err != nil {
		in.t.Fatal(err)
	}
}

// outcomes counts the reminder outcome events stored on case c-1, by reminder id.
func outcomes(t *testing.T, store *events.Store) map[string]int {
	t.Helper()
	evs, err := store.Read(t.Context(), events.CaseSubject("c-1"), 0)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, e := range evs {
		if e.Type == events.ReminderSent || e.Type == events.ReminderFailed {
			var d events.ReminderOutcomeData
			if err := json.Unmarshal(e.Data, &d); err != nil {
				t.Fatal(err)
			}
			out[d.ReminderID]++
		}
	}
	return out
}

// eventually polls cond until it holds, for conditions that depend on the server's own clock
// (a claim's TTL), which no fake clock moves.
func eventually(t *testing.T, within time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, within)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// discard keeps the workers' log out of test output.
var discard = slog.New(slog.DiscardHandler)

// errProvider is a provider's server error: worth retrying.
var errProvider = errors.New("provider: http 503")
