package projections

import (
	"fmt"
	"testing"
	"time"

	"github.com/docket/docket/events"
)

// BenchmarkCasesApply measures the fold alone: decoding stored events and applying them to
// the case read model, without NATS.
func BenchmarkCasesApply(b *testing.B) {
	var msgs [][]byte
	for i := range 10000 {
		caseID := fmt.Sprintf("rb-%d", i%100)
		n := i / 100
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Hour)
		var typ, data string
		switch {
		case n == 0:
			typ, data = events.CaseOpened, `{"docket_number":"1:26-cv-`+caseID+`","title":"Rebuild v. Bench","court":{"id":"bench","name":"D. Bench","time_zone":"America/Chicago"},"ruleset":"frcp"}`
		case n%3 == 1:
			typ, data = events.PartyAdded, fmt.Sprintf(`{"party_id":"p-%d","name":"Party %d","role":"attorney","email":"p%d@firm.example"}`, n, n, n)
		case n%3 == 2:
			typ, data = events.HearingScheduled, fmt.Sprintf(`{"hearing_id":"h-%d","title":"Hearing %d","start":%q,"end":%q,"location":{"courtroom":"4"}}`, n, n, at.Format(time.RFC3339), at.Add(time.Hour).Format(time.RFC3339))
		default:
			typ, data = events.FilingDue, fmt.Sprintf(`{"filing_id":"f-%d","title":"Filing %d","due":%q}`, n, n, at.Format(time.DateOnly))
		}
		msgs = append(msgs, []byte(fmt.Sprintf(`{"specversion":"1.0","id":"%s-%d","source":"docket/bench","type":%q,"subject":%q,"time":%q,"datacontenttype":"application/json","data":%s}`, caseID, n, typ, caseID, at.Format(time.RFC3339), data)))
	}
	b.ResetTimer()
	for b.Loop() {
		cs := NewCases()
		for i, m := range msgs {
			e, _ := events.Unmarshal(m, uint64(i+1))
			cs.Apply(e)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(msgs)), "ns/event")
}
