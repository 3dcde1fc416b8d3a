package projections

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
)

// Projection is a fold the runner feeds with every stored event, in stream order.
type Projection interface {
	Apply(events.Event) error
}

// Runner replays the stream into its projections at start, then tails it. Appends wait on it
// so that a client reads its own writes from the same instance.
type Runner struct {
	store   *events.Store
	folds   []Projection
	applied atomic.Uint64
	ready   atomic.Bool
	target  atomic.Uint64 // the stream's last sequence at start: ready once applied

	mu      sync.Mutex
	waiters int
	wake    chan struct{} // closed and replaced whenever applied advances while someone waits
}

// NewRunner returns a runner feeding folds from store.
func NewRunner(store *events.Store, folds ...Projection) *Runner {
	if store == nil {
		panic("projections: NewRunner with a nil store")
	}
	return &Runner{store: store, folds: folds, wake: make(chan struct{})}
}

// Run replays and tails the stream until ctx ends. A broken subscription is resumed from the
// last applied event, so no event is applied twice or skipped.
func (r *Runner) Run(ctx context.Context) error {
	for {
		last, err := r.store.LastSeq(ctx)
		if err == nil {
			r.target.Store(last)
			if r.applied.Load() >= last {
				r.ready.Store(true)
				r.broadcast()
			}
			err = r.store.Follow(ctx, r.applied.Load(), r.apply)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		slog.Error("projections: follow stopped; resuming", "applied", r.applied.Load(), "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func (r *Runner) apply(e events.Event) error {
	e = e.Decoded()
	for _, f := range r.folds {
		if err := f.Apply(e); err != nil {
			return err
		}
	}
	r.applied.Store(e.Seq)
	if !r.ready.Load() && e.Seq >= r.target.Load() {
		r.ready.Store(true)
	}
	r.broadcast()
	return nil
}

// broadcast wakes everyone waiting for progress.
func (r *Runner) broadcast() {
	r.mu.Lock()
	if r.waiters > 0 {
		close(r.wake)
		r.wake = make(chan struct{})
	}
	r.mu.Unlock()
}

// Applied returns the sequence of the last event applied.
func (r *Runner) Applied() uint64 { return r.applied.Load() }

// Ready reports whether the replay at start has caught up with the stream.
func (r *Runner) Ready() bool { return r.ready.Load() }

// Lag returns how many stream sequences the projections are behind.
func (r *Runner) Lag(ctx context.Context) (uint64, error) {
	last, err := r.store.LastSeq(ctx)
	if err != nil {
		return 0, err
	}
	if applied := r.applied.Load(); applied < last {
		return last - applied, nil
	}
	return 0, nil
}

// WaitFor blocks until the replay at start is done and the event at seq has been applied, or
// ctx ends (EUNAVAILABLE). Reads and commands wait on it, so a restarted instance never
// answers from a half-replayed model.
func (r *Runner) WaitFor(ctx context.Context, seq uint64) error {
	done := func() bool { return r.ready.Load() && r.applied.Load() >= seq }
	for !done() {
		r.mu.Lock()
		if done() {
			r.mu.Unlock()
			return nil
		}
		r.waiters++
		wake := r.wake
		r.mu.Unlock()
		select {
		case <-wake:
		case <-ctx.Done():
		}
		r.mu.Lock()
		r.waiters--
		r.mu.Unlock()
		if ctx.Err() != nil {
			return &docket.Error{Code: docket.EUNAVAILABLE, Message: "this instance has not caught up with the event store yet; retry shortly"}
		}
	}
	return nil
}
