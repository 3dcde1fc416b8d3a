package events_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
	"github.com/docket/docket/internal/natstest"
)

func event(t *testing.T, typ, caseID string, data any) events.Event {
	t.Helper()
	e, err := events.New(typ, caseID, "docket/test", "tester", time.Date(2026, 11, 25, 17, 0, 0, 0, time.UTC), data)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func opened(t *testing.T, caseID string) events.Event {
	return event(t, events.CaseOpened, caseID, events.CaseOpenedData{DocketNumber: "1:26-cv-1", Title: "A v. B",
		Court: events.Court{ID: "cand", Name: "N.D. Cal.", TimeZone: "America/Los_Angeles"}})
}

func TestAppendReadReplay(t *testing.T) {
	st, _ := natstest.Store(t)
	ctx := t.Context()
	subj := events.CaseSubject("c-1")

	a, err := st.Append(ctx, subj, 0, "", []events.Event{opened(t, "c-1")})
	if err != nil {
		t.Fatal(err)
	}
	if a.Version() != 1 {
		t.Fatalf("version = %d; want 1", a.Version())
	}
	// A second case interleaves, so versions are stream sequences, not per-case counts.
	if _, err := st.Append(ctx, events.CaseSubject("c-2"), 0, "", []events.Event{opened(t, "c-2")}); err != nil {
		t.Fatal(err)
	}
	batch := []events.Event{
		event(t, events.PartyAdded, "c-1", events.PartyData{PartyID: "p1", Name: "Ann", Role: "attorney"}),
		event(t, events.PartyAdded, "c-1", events.PartyData{PartyID: "p2", Name: "Bob", Role: "client"}),
		event(t, events.PartyRemoved, "c-1", events.PartyRemovedData{PartyID: "p2"}),
	}
	b, err := st.Append(ctx, subj, 1, "", batch)
	if err != nil {
		t.Fatal(err)
	}
	if want := []uint64{3, 4, 5}; !equal(b.Seqs, want) {
		t.Fatalf("batch seqs = %v; want %v", b.Seqs, want)
	}

	got, err := st.Read(ctx, subj, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0].Type != events.CaseOpened || got[3].Type != events.PartyRemoved || got[3].Seq != 5 {
		t.Fatalf("Read = %+v", got)
	}
	if got[1].ID != batch[0].ID || string(got[1].Data) != string(batch[0].Data) {
		t.Errorf("Read[1] = %+v; want %+v", got[1], batch[0])
	}
	after, err := st.Read(ctx, subj, 3)
	if err != nil || len(after) != 2 {
		t.Fatalf("Read after 3 = %d events, %v; want 2", len(after), err)
	}
	if none, err := st.Read(ctx, events.CaseSubject("nobody"), 0); err != nil || len(none) != 0 {
		t.Fatalf("Read unknown = %v, %v", none, err)
	}

	// Replay sees every event of every case in stream order.
	var seqs []uint64
	ctx2, cancel := context.WithCancel(ctx)
	err = st.Follow(ctx2, 0, func(e events.Event) error {
		seqs = append(seqs, e.Seq)
		if e.Seq == 5 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Follow = %v", err)
	}
	if want := []uint64{1, 2, 3, 4, 5}; !equal(seqs, want) {
		t.Fatalf("Follow seqs = %v; want %v", seqs, want)
	}
}

func TestAppendStaleVersionConflicts(t *testing.T) {
	st, _ := natstest.Store(t)
	ctx := t.Context()
	subj := events.CaseSubject("c-1")
	if _, err := st.Append(ctx, subj, 0, "", []events.Event{opened(t, "c-1")}); err != nil {
		t.Fatal(err)
	}
	// The case exists: "must not exist" (0) and a stale version both conflict, single or batch.
	for _, n := range []int{1, 3} {
		evs := make([]events.Event, n)
		for i := range evs {
			evs[i] = event(t, events.CaseClosed, "c-1", events.CaseStatusData{})
		}
		for _, expected := range []uint64{0, 7} {
			_, err := st.Append(ctx, subj, expected, "", evs)
			var de *docket.Error
			if !errors.As(err, &de) || de.Code != docket.ECONFLICT || de.Version != 1 {
				t.Errorf("Append(%d events, expected %d) = %v; want conflict at version 1", n, expected, err)
			}
		}
	}
	if got, _ := st.Read(ctx, subj, 0); len(got) != 1 {
		t.Fatalf("stored %d events; want 1", len(got))
	}
}

// Twenty writers race with the same expected version: exactly one wins.
func TestAppendRaceOneWinner(t *testing.T) {
	st, _ := natstest.Store(t)
	ctx := t.Context()
	subj := events.CaseSubject("c-1")
	if _, err := st.Append(ctx, subj, 0, "", []events.Event{opened(t, "c-1")}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins, conflicts := 0, 0
	for i := range 20 {
		wg.Go(func() {
			evs := []events.Event{event(t, events.PartyAdded, "c-1", events.PartyData{PartyID: "p" + string(rune('a'+i))})}
			if i%2 == 0 {
				evs = append(evs, event(t, events.PartyRemoved, "c-1", events.PartyRemovedData{PartyID: "p" + string(rune('a'+i))}))
			}
			_, err := st.Append(ctx, subj, 1, "", evs)
			mu.Lock()
			defer mu.Unlock()
			if err == nil {
				wins++
			} else if docket.ErrorCode(err) == docket.ECONFLICT {
				conflicts++
			} else {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins != 1 || conflicts != 19 {
		t.Fatalf("wins = %d, conflicts = %d; want 1 and 19", wins, conflicts)
	}
}

func TestAppendIdempotent(t *testing.T) {
	st, _ := natstest.Store(t)
	ctx := t.Context()
	subj := events.CaseSubject("c-1")
	first, err := st.Append(ctx, subj, 0, "key-1", []events.Event{opened(t, "c-1")})
	if err != nil || first.Duplicate {
		t.Fatalf("first = %+v, %v", first, err)
	}
	// The retry carries the same key (and, being a retry, the same expected version).
	again, err := st.Append(ctx, subj, 0, "key-1", []events.Event{opened(t, "c-1")})
	if err != nil || !again.Duplicate || again.Version() != first.Version() {
		t.Fatalf("retry = %+v, %v; want duplicate of %v", again, err, first.Seqs)
	}
	two := []events.Event{
		event(t, events.PartyAdded, "c-1", events.PartyData{PartyID: "p1"}),
		event(t, events.PartyAdded, "c-1", events.PartyData{PartyID: "p2"}),
	}
	if _, err := st.Append(ctx, subj, 1, "key-2", two); err != nil {
		t.Fatal(err)
	}
	dup, err := st.Append(ctx, subj, 1, "key-2", two)
	if err != nil || !dup.Duplicate || !equal(dup.Seqs, []uint64{2, 3}) {
		t.Fatalf("batch retry = %+v, %v; want duplicate of [2 3]", dup, err)
	}
	// The same key on another version is a real conflict, not a retry.
	if _, err := st.Append(ctx, subj, 2, "key-9", two[:1]); docket.ErrorCode(err) != docket.ECONFLICT {
		t.Fatalf("stale append with a new key = %v; want conflict", err)
	}
	if got, _ := st.Read(ctx, subj, 0); len(got) != 3 {
		t.Fatalf("stored %d events; want 3", len(got))
	}
}

func TestEnvelopeRoundTrip(t *testing.T) {
	e := opened(t, "c-9")
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"specversion", "id", "source", "type", "subject", "time", "datacontenttype", "actor", "data"} {
		if _, ok := doc[k]; !ok {
			t.Errorf("envelope lacks %q: %s", k, b)
		}
	}
	back, err := events.Unmarshal(b, 42)
	if err != nil || back.Seq != 42 || back.ID != e.ID || !back.Time.Equal(e.Time) {
		t.Fatalf("Unmarshal = %+v, %v", back, err)
	}
	p, err := back.Payload()
	if err != nil || p.(*events.CaseOpenedData).Court.TimeZone != "America/Los_Angeles" {
		t.Fatalf("Payload = %+v, %v", p, err)
	}
}

func equal(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
