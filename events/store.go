package events

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/synadia-io/orbit.go/jetstreamext"

	"github.com/docket/docket"
)

// Stream and subject names. Renaming one orphans every stored event: they are constants.
const (
	StreamName        = "DOCKET"
	CaseSubjectPrefix = "docket.case."
	FeedSubjectPrefix = "docket.feed."
)

// JetStream error codes the store acts on.
const (
	// errCodeWrongLastSeq is JetStream's "wrong last sequence: N": the optimistic-concurrency
	// conflict.
	errCodeWrongLastSeq = 10071
	// errCodeBatchDuplicate is an atomic batch whose Nats-Msg-Id was already stored.
	errCodeBatchDuplicate = 10201
)

// CaseSubject returns the subject a case's events are stored on.
func CaseSubject(caseID string) string { return CaseSubjectPrefix + caseID }

// FeedSubject returns the subject a feed's events are stored on.
func FeedSubject(feedID string) string { return FeedSubjectPrefix + feedID }

// Store is the event store: one JetStream stream, one subject per case.
type Store struct {
	js     jetstream.JetStream
	stream jetstream.Stream
}

// StoreConfig holds the stream settings a deployment chooses.
type StoreConfig struct {
	// Replicas is the stream's replica count: 1 for a single server, 3 in production.
	Replicas int
}

// OpenStore creates or updates the DOCKET stream and returns a store on it.
func OpenStore(ctx context.Context, nc *nats.Conn, cfg StoreConfig) (*Store, error) {
	if nc == nil {
		panic("events: OpenStore with a nil connection")
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	if cfg.Replicas < 1 {
		cfg.Replicas = 1
	}
	stream, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        StreamName,
		Description: "Docket events: one subject per case (docket.case.<id>) and per feed",
		Subjects:    []string{CaseSubjectPrefix + "*", FeedSubjectPrefix + "*"},
		Storage:     jetstream.FileStorage,
		Replicas:    cfg.Replicas,
		Retention:   jetstream.LimitsPolicy,
		Discard:     jetstream.DiscardNew,
		// Events are the record: nothing expires, nothing is deleted or purged.
		MaxAge:             0,
		MaxMsgsPerSubject:  -1,
		DenyDelete:         true,
		DenyPurge:          true,
		AllowDirect:        true,
		AllowAtomicPublish: true,
		Duplicates:         2 * time.Minute,
		MaxMsgSize:         MaxBodyBytes + 64<<10,
	})
	if err != nil {
		return nil, fmt.Errorf("open store: create stream %s: %w", StreamName, err)
	}
	return &Store{js: js, stream: stream}, nil
}

// JetStream returns the store's JetStream context, for the buckets other packages keep.
func (s *Store) JetStream() jetstream.JetStream { return s.js }

// Appended is the result of an append.
type Appended struct {
	// Seqs are the stream sequences of the events, in order; the last is the new version.
	Seqs []uint64
	// Duplicate is set when the idempotency key was seen before and nothing was stored; the
	// caller looks the first result up by key.
	Duplicate bool
}

// Version returns the subject's version after the append.
func (a Appended) Version() uint64 {
	if len(a.Seqs) == 0 {
		return 0
	}
	return a.Seqs[len(a.Seqs)-1]
}

// Append stores evs on subject atomically, only if the subject's last sequence is still
// expected (0: the subject must be empty). A non-empty key deduplicates retries within the
// stream's duplicate window. A stale expected version is an ECONFLICT error carrying the
// current version.
func (s *Store) Append(ctx context.Context, subject string, expected uint64, key string, evs []Event) (Appended, error) {
	if len(evs) == 0 || len(evs) > MaxEventsPerAppend {
		return Appended{}, docket.Invalid("/events", "append 1 to %d events", MaxEventsPerAppend)
	}
	msgs := make([]*nats.Msg, len(evs))
	for i, e := range evs {
		e.IdempotencyKey = key
		b, err := json.Marshal(e)
		if err != nil {
			return Appended{}, fmt.Errorf("append %s: %w", subject, err)
		}
		if len(b) > MaxBodyBytes {
			return Appended{}, docket.Invalid("/events/"+strconv.Itoa(i), "event is larger than %d bytes", MaxBodyBytes)
		}
		msgs[i] = nats.NewMsg(subject)
		msgs[i].Data = b
		if key != "" {
			msgs[i].Header.Set(jetstream.MsgIDHeader, msgID(subject, key, i))
		}
	}
	msgs[0].Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(expected, 10))

	if len(msgs) == 1 {
		ack, err := s.js.PublishMsg(ctx, msgs[0])
		if err != nil {
			return s.retried(ctx, subject, expected, key, appendError(subject, err))
		}
		return Appended{Seqs: []uint64{ack.Sequence}, Duplicate: ack.Duplicate}, nil
	}
	ack, err := jetstreamext.PublishMsgBatch(ctx, s.js, msgs)
	if err != nil {
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == errCodeBatchDuplicate {
			err = &docket.Error{Code: docket.ECONFLICT, Message: "duplicate idempotency key"}
		}
		return s.retried(ctx, subject, expected, key, appendError(subject, err))
	}
	// An atomic batch is stored contiguously, ending at the acknowledged sequence.
	seqs := make([]uint64, len(msgs))
	for i := range seqs {
		seqs[i] = ack.Sequence - uint64(len(msgs)-1-i)
	}
	return Appended{Seqs: seqs}, nil
}

// retried tells a retry from a real conflict. JetStream checks the expected version before the
// message id, so the retry of a stored append conflicts; but being a retry it carries the
// same expected version, and the first attempt's events follow right after it, marked with
// the key. That holds beyond the duplicate window too.
func (s *Store) retried(ctx context.Context, subject string, expected uint64, key string, err error) (Appended, error) {
	if key == "" || docket.ErrorCode(err) != docket.ECONFLICT {
		return Appended{}, err
	}
	stored, rerr := s.Read(ctx, subject, expected)
	if rerr != nil {
		return Appended{}, err
	}
	var seqs []uint64
	for _, e := range stored {
		if e.IdempotencyKey != key {
			break
		}
		seqs = append(seqs, e.Seq)
	}
	if len(seqs) == 0 {
		return Appended{}, err
	}
	return Appended{Seqs: seqs, Duplicate: true}, nil
}

// msgID derives the Nats-Msg-Id of the i-th event of an idempotent append, bounded in length
// whatever key the client chose.
func msgID(subject, key string, i int) string {
	h := sha256.Sum256([]byte(subject + "\x00" + key))
	return hex.EncodeToString(h[:16]) + "-" + strconv.Itoa(i)
}

// appendError maps JetStream's answer to an application error.
func appendError(subject string, err error) error {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) && apiErr.ErrorCode == errCodeWrongLastSeq {
		current, _ := strconv.ParseUint(strings.TrimSpace(apiErr.Description[strings.LastIndex(apiErr.Description, ":")+1:]), 10, 64)
		return &docket.Error{Code: docket.ECONFLICT, Field: "If-Match", Version: current,
			Message: fmt.Sprintf("the case has changed: its version is now %d", current)}
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, nats.ErrTimeout) || errors.Is(err, jetstream.ErrNoStreamResponse) {
		return &docket.Error{Code: docket.EUNAVAILABLE, Message: "the event store did not answer in time; retry with the same Idempotency-Key"}
	}
	return fmt.Errorf("append %s: %w", subject, err)
}

// Read returns the events stored on subject after sequence after, oldest first, using batched
// direct gets rather than a consumer per request.
func (s *Store) Read(ctx context.Context, subject string, after uint64) ([]Event, error) {
	const page = 512
	var out []Event
	next := after + 1
	for {
		msgs, err := jetstreamext.GetBatch(ctx, s.js, StreamName, page, jetstreamext.GetBatchSubject(subject), jetstreamext.GetBatchSeq(next))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", subject, err)
		}
		n := 0
		for m, err := range msgs {
			if errors.Is(err, jetstreamext.ErrNoMessages) {
				break
			} else if err != nil {
				return nil, fmt.Errorf("read %s: %w", subject, err)
			}
			e, err := Unmarshal(m.Data, m.Sequence)
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", subject, err)
			}
			out = append(out, e)
			next = m.Sequence + 1
			n++
		}
		if n < page {
			return out, nil
		}
	}
}

// LastSeqOf returns the sequence of the last event on subject (0 when there is none), read
// with a direct get from the stream itself rather than from any projection.
func (s *Store) LastSeqOf(ctx context.Context, subject string) (uint64, error) {
	m, err := s.stream.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("last of %s: %w", subject, err)
	}
	return m.Sequence, nil
}

// LastSeq returns the stream's last sequence: the point a replay has caught up at.
func (s *Store) LastSeq(ctx context.Context) (uint64, error) {
	info, err := s.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream info: %w", err)
	}
	return info.State.LastSeq, nil
}

// Follow calls fn with every event stored after sequence after, in stream order, then with
// each new one as it arrives, until ctx ends or fn fails. It uses an ordered consumer, which
// recreates itself across server restarts and leader changes without losing its place.
func (s *Store) Follow(ctx context.Context, after uint64, fn func(Event) error) error {
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if after > 0 {
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = after + 1
	}
	cons, err := s.js.OrderedConsumer(ctx, StreamName, cfg)
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(4096))
	if err != nil {
		return fmt.Errorf("follow: %w", err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	// Reading and decoding run in their own goroutine, ahead of fn: a replay then keeps both
	// cores busy, one decoding the next events while the other folds this one.
	type item struct {
		e   Event
		err error
	}
	next := make(chan item, 4096)
	go func() {
		defer close(next)
		for {
			m, err := it.Next()
			if err != nil {
				if ctx.Err() != nil {
					err = ctx.Err()
				} else {
					err = fmt.Errorf("follow: %w", err)
				}
				next <- item{err: err}
				return
			}
			md, err := m.Metadata()
			if err != nil {
				next <- item{err: fmt.Errorf("follow: %w", err)}
				return
			}
			e, err := Unmarshal(m.Data(), md.Sequence.Stream)
			next <- item{e: e.Decoded(), err: err}
			if err != nil {
				return
			}
		}
	}()
	defer func() {
		it.Stop()
		for range next { // let the reader finish before returning
		}
	}()
	for x := range next {
		if x.err != nil {
			return x.err
		}
		if err := fn(x.e); err != nil {
			return err
		}
	}
	return ctx.Err()
}
