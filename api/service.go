// Package api serves Docket over HTTP (JSON API, feeds, health, metrics) and over NATS
// (a micro service for other systems), on top of the event store and the projections.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// Service executes commands: it validates events against the case, appends them with the
// expected version and idempotency key, and waits until this instance's projections have
// applied them.
type Service struct {
	store  *events.Store
	cases  *projections.Cases
	feeds  *projections.Feeds
	runner *projections.Runner
	rules  *rules.Engine

	// Now returns the current time; defaults to time.Now, tests replace it.
	Now func() time.Time
	// ApplyWait bounds how long an append waits for the projections (read-your-writes).
	ApplyWait time.Duration
	// Source is the CloudEvents source of the events this service writes.
	Source string
}

// NewService returns a service over the store and the projections the runner feeds.
func NewService(store *events.Store, cases *projections.Cases, feeds *projections.Feeds, runner *projections.Runner, engine *rules.Engine) *Service {
	if store == nil || cases == nil || feeds == nil || runner == nil || engine == nil {
		panic("api: NewService with a nil dependency")
	}
	return &Service{store: store, cases: cases, feeds: feeds, runner: runner, rules: engine, Now: time.Now, ApplyWait: 5 * time.Second, Source: "docket/api"}
}

// Draft is one event a client asks to append.
type Draft struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// AppendRequest is a command: events for one case, appended together or not at all.
type AppendRequest struct {
	CaseID string
	Events []Draft
	// IfMatch is the version the client last saw; nil appends on top of whatever is current.
	IfMatch *uint64
	// Key is the client's Idempotency-Key.
	Key   string
	Actor string
	// Single is set when the client sent one event rather than a list; its errors then point
	// under Pointer (e.g. "/data") rather than under /events/0/data.
	Single  bool
	Pointer string
}

// AppendResult is the answer to an append, the same for a retry.
type AppendResult struct {
	CaseID  string                 `json:"case_id"`
	Version uint64                 `json:"version"`
	Events  []projections.EventRef `json:"events"`
}

// maxConflictRetries bounds how often an append without If-Match retries after another
// writer moved the case between our check and our append.
const maxConflictRetries = 32

// Append executes an append command.
func (s *Service) Append(ctx context.Context, req AppendRequest) (AppendResult, error) {
	if !events.ValidID(req.CaseID) {
		return AppendResult{}, docket.Invalid("/case_id", "%q is not a valid case id", req.CaseID)
	}
	if len(req.Key) > 255 {
		return AppendResult{}, docket.Invalid("Idempotency-Key", "at most 255 characters")
	}
	if len(req.Events) == 0 {
		return AppendResult{}, docket.Invalid("/events", "at least one event is required")
	} else if len(req.Events) > events.MaxEventsPerAppend {
		return AppendResult{}, docket.Invalid("/events", "at most %d events per append", events.MaxEventsPerAppend)
	}
	payloads := make([]any, len(req.Events))
	for i, d := range req.Events {
		prefix := req.prefix(i)
		if d.Type == "" {
			return AppendResult{}, docket.Invalid(strings.TrimSuffix(prefix, "/data")+"/type", "required")
		}
		if slices.Contains(projections.SystemTypes, d.Type) {
			return AppendResult{}, docket.Invalid(strings.TrimSuffix(prefix, "/data")+"/type", "%s events are written by Docket itself", d.Type)
		}
		p, err := events.Decode(d.Type, d.Data, prefix)
		if err != nil {
			return AppendResult{}, err
		}
		payloads[i] = p
	}
	return s.append(ctx, req, payloads)
}

func (r AppendRequest) prefix(i int) string {
	if r.Single {
		return r.Pointer
	}
	return "/events/" + strconv.Itoa(i) + "/data"
}

// append checks and stores validated payloads, retrying when another writer got in between.
func (s *Service) append(ctx context.Context, req AppendRequest, payloads []any) (AppendResult, error) {
	var seen uint64
	if req.IfMatch != nil {
		seen = *req.IfMatch
	}
	if err := s.waitApplied(ctx, seen); err != nil {
		return AppendResult{}, err
	}
	for attempt := 0; ; attempt++ {
		if res, ok := s.keyed(req.CaseID, req.Key); ok {
			return res, nil
		}
		evs, current, err := s.check(req, payloads)
		if err != nil {
			return AppendResult{}, err
		}
		expected := current
		if req.IfMatch != nil {
			expected = *req.IfMatch
		}
		a, err := s.store.Append(ctx, events.CaseSubject(req.CaseID), expected, req.Key, evs)
		if docket.ErrorCode(err) == docket.ECONFLICT && req.IfMatch == nil && attempt < maxConflictRetries {
			// Someone else appended since our check: catch up, back off a little so that
			// writers to a hot case spread out, and check again.
			if err := s.waitApplied(ctx, conflictVersion(err)); err != nil {
				return AppendResult{}, err
			}
			time.Sleep(time.Duration(rand.Int64N(int64(attempt+1) * int64(time.Millisecond))))
			continue
		}
		if err != nil {
			return AppendResult{}, err
		}
		waitErr := s.waitApplied(ctx, a.Version())
		if !a.Duplicate {
			// Even when not yet visible here the answer is right; Docket-Seq tells the client
			// what to wait for.
			return resultOf(req.CaseID, evs, a.Seqs), nil
		}
		// A concurrent twin of this request stored first: answer with what it stored.
		if res, ok := s.keyed(req.CaseID, req.Key); ok {
			return res, nil
		}
		if waitErr != nil {
			return AppendResult{}, waitErr
		}
		return AppendResult{}, &docket.Error{Code: docket.ECONFLICT, Field: "Idempotency-Key",
			Message: "this key was used for another case or command; use a new key"}
	}
}

// check validates the payloads against the case as this instance knows it, in order, and
// returns the envelopes to append and the version they were checked against.
func (s *Service) check(req AppendRequest, payloads []any) ([]events.Event, uint64, error) {
	now := s.Now()
	evs := make([]events.Event, len(payloads))
	for i, p := range payloads {
		e, err := events.New(req.Events[i].Type, req.CaseID, s.Source, req.Actor, now, p)
		if err != nil {
			return nil, 0, err
		}
		evs[i] = e
	}
	var state *projections.Case
	var version uint64
	var err error
	var derived []events.Event
	found := s.cases.Read(req.CaseID, func(c *projections.Case) {
		version = c.Version
		if len(evs) == 1 {
			// The shared read model may only be read under its lock.
			if err = c.Check(evs[0], payloads[0], req.prefix(0)); err == nil {
				derived, err = s.derive(c, evs[0], payloads[0], req.prefix(0))
			}
		} else {
			state = c.Clone()
		}
	})
	switch {
	case !found && len(evs) == 1:
		err = (*projections.Case)(nil).Check(evs[0], payloads[0], req.prefix(0))
	case !found:
		state = projections.NewCase(req.CaseID)
	}
	if err != nil {
		return nil, 0, err
	}
	if len(evs) == 1 {
		return append(evs, derived...), version, nil
	}
	var out []events.Event
	for i, e := range evs {
		if err := state.Check(e, payloads[i], req.prefix(i)); err != nil {
			return nil, 0, err
		}
		derived, err := s.derive(state, e, payloads[i], req.prefix(i))
		if err != nil {
			return nil, 0, err
		}
		for _, d := range append([]events.Event{e}, derived...) {
			if err := state.Apply(d); err != nil {
				return nil, 0, err
			}
		}
		out = append(out, e)
		out = append(out, derived...)
	}
	if len(out) > events.MaxEventsPerAppend {
		return nil, 0, docket.Invalid("/events", "this command would append %d events; at most %d go in one append", len(out), events.MaxEventsPerAppend)
	}
	return out, version, nil
}

// keyed returns the first answer to an idempotency key already applied to the case.
func (s *Service) keyed(caseID, key string) (AppendResult, bool) {
	if key == "" {
		return AppendResult{}, false
	}
	var refs []projections.EventRef
	s.cases.Read(caseID, func(c *projections.Case) { refs, _ = c.Keyed(key) })
	if len(refs) == 0 {
		return AppendResult{}, false
	}
	return AppendResult{CaseID: caseID, Version: refs[len(refs)-1].Seq, Events: slices.Clone(refs)}, true
}

func resultOf(caseID string, evs []events.Event, seqs []uint64) AppendResult {
	res := AppendResult{CaseID: caseID, Events: make([]projections.EventRef, len(seqs))}
	for i, seq := range seqs {
		res.Events[i] = projections.EventRef{ID: evs[i].ID, Seq: seq}
		res.Version = seq
	}
	return res
}

func conflictVersion(err error) uint64 {
	var e *docket.Error
	if errors.As(err, &e) {
		return e.Version
	}
	return 0
}

// waitApplied waits, within ApplyWait, until this instance's projections reach seq.
func (s *Service) waitApplied(ctx context.Context, seq uint64) error {
	ctx, cancel := context.WithTimeout(ctx, s.ApplyWait)
	defer cancel()
	return s.runner.WaitFor(ctx, seq)
}

// OpenCase opens a case, with the given id or a generated one. Errors point at the fields of
// the request body, which holds the case.opened fields at its top level.
func (s *Service) OpenCase(ctx context.Context, caseID string, data json.RawMessage, key, actor string) (AppendResult, error) {
	if caseID == "" {
		caseID = "c-" + strings.ToLower(ulid.Make().String())
	}
	none := uint64(0)
	return s.Append(ctx, AppendRequest{CaseID: caseID, Events: []Draft{{Type: events.CaseOpened, Data: data}}, IfMatch: &none, Key: key, Actor: actor, Single: true})
}

// Record appends one event Docket itself produces (a reminder outcome, say), validated and
// checked like a client's; key makes it idempotent.
func (s *Service) Record(ctx context.Context, caseID, typ string, data any, key string) (AppendResult, error) {
	raw, err := json.Marshal(data)
	if err != nil {
		return AppendResult{}, err
	}
	p, err := events.Decode(typ, raw, "/data")
	if err != nil {
		return AppendResult{}, err
	}
	req := AppendRequest{CaseID: caseID, Events: []Draft{{Type: typ, Data: raw}}, Key: key, Actor: "docket", Single: true, Pointer: "/data"}
	return s.append(ctx, req, []any{p})
}
