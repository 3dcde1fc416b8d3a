package notify_test

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket/docket/events"
	"github.com/docket/docket/internal/natstest"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
)

// sweepBench is one instance with a million planned reminders: 10,000 cases, each with two
// attorneys, two clients and eight hearings spread over a year (112 reminders a case). Its
// projections are fed directly, and Record feeds the outcome back as the runner would, so
// the benchmark measures the sweep, the claims in a real JetStream and the planning again
// of the cases whose reminders went, not an HTTP round trip.
type sweepBench struct {
	clock   *fakeClock
	cases   *projections.Cases
	planner *notify.Planner
	worker  *notify.Worker
	rec     *recorder
	planned int

	mu  sync.Mutex
	seq uint64
}

const (
	benchCases    = 10000
	benchHearings = 8
)

func newSweepBench(b *testing.B) *sweepBench {
	b.Helper()
	store, _ := natstest.Store(b)
	start := at("2027-01-04T08:00:00-08:00")
	s := &sweepBench{clock: &fakeClock{t: start}, cases: projections.NewCases(), rec: newRecorder()}
	s.planner = notify.NewPlanner(s.cases)
	s.planner.Now = s.clock.Now
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for i := range benchCases {
		id := fmt.Sprintf("c-%05d", i)
		ds := []draft{
			{events.CaseOpened, fmt.Sprintf(`{"docket_number":"3:27-cv-%05d","title":"Case %d","court":{"id":"cand","name":"N.D. Cal.","time_zone":"America/Los_Angeles"}}`, i, i)},
		}
		var attendees []string
		for j, role := range []string{"attorney", "attorney", "client", "client"} {
			pid := fmt.Sprintf("p-%05d-%d", i, j)
			attendees = append(attendees, `"`+pid+`"`)
			ds = append(ds, draft{events.PartyAdded, fmt.Sprintf(`{"party_id":%q,"role":%q,"email":"%s@example.com","phone":"+1415555%04d"}`, pid, role, pid, (i*4+j)%10000)})
		}
		for h := range benchHearings {
			// Spread over the year from 8 days ahead, at a quarter hour of the working day.
			day := 8 + (i*benchHearings+h)*7919%350
			t0 := start.AddDate(0, 0, day).Add(time.Duration((i+h)%32) * 15 * time.Minute)
			ds = append(ds, draft{events.HearingScheduled, fmt.Sprintf(`{"hearing_id":"h-%d","title":"Hearing %d","start":%q,"end":%q,"attendees":[%s]}`,
				h, h, t0.Format(time.RFC3339), t0.Add(time.Hour).Format(time.RFC3339), strings.Join(attendees, ","))})
		}
		for _, e := range caseEvents(b, id, start, s.seq+1, ds...) {
			s.seq = e.Seq
			if err := s.cases.Apply(e); err != nil {
				b.Fatal(err)
			}
			if err := s.planner.Apply(e); err != nil {
				b.Fatal(err)
			}
		}
	}
	s.planned = s.planner.Len()
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	b.Logf("%d cases, %d reminders planned, %.0f bytes of heap per reminder (with the case read model)",
		benchCases, s.planned, float64(after.HeapAlloc-before.HeapAlloc)/float64(s.planned))
	if s.planned < 1_000_000 {
		b.Fatalf("planned %d reminders; want at least 1,000,000", s.planned)
	}
	w, err := notify.NewWorker(notify.WorkerConfig{Planner: s.planner, Channels: s.rec.channels(), Record: s.record,
		JetStream: store.JetStream(), WaitFor: func(context.Context, uint64) error { return nil }, Now: s.clock.Now,
		Logger: discard})
	if err != nil {
		b.Fatal(err)
	}
	s.worker = w
	return s
}

// record applies the outcome to the projections, as the runner would once it is stored.
func (s *sweepBench) record(_ context.Context, caseID, typ string, data any, key string) error {
	raw, err := json.Marshal(data)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	e := events.Event{SpecVersion: events.SpecVersion, ID: key + "-" + caseID, Type: typ, Subject: caseID, Time: s.clock.Now(), Data: raw, Seq: s.seq}
	if err := s.cases.Apply(e); err != nil {
		return err
	}
	return s.planner.Apply(e)
}

// BenchmarkSweep measures the reminder sweep over 1,000,000 planned reminders (DESIGN.md §7):
// "tick" is one 15-second tick with the few reminders due in it (ns/op is the time per tick);
// "day" lets a whole day of reminders fall due at once and reports the dispatch rate.
func BenchmarkSweep(b *testing.B) {
	s := newSweepBench(b)
	ctx := context.Background()
	b.Run("tick", func(b *testing.B) {
		sent := len(s.rec.deliveries())
		for b.Loop() {
			s.clock.Set(s.clock.Now().Add(notify.DefaultTick))
			if err := s.worker.Sweep(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(s.rec.deliveries())-sent)/float64(b.N), "sent/tick")
		b.ReportMetric(float64(s.planner.Len()), "planned")
	})
	b.Run("day", func(b *testing.B) {
		sent := len(s.rec.deliveries())
		for b.Loop() {
			s.clock.Set(s.clock.Now().Add(24 * time.Hour))
			if err := s.worker.Sweep(ctx); err != nil {
				b.Fatal(err)
			}
		}
		n := len(s.rec.deliveries()) - sent
		b.ReportMetric(float64(n)/float64(b.N), "sent/op")
		b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "sent/s")
	})
}
