package api_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The feed of a rich case, rendered through the HTTP API, is byte-identical to its golden
// file, which .ci/run also has ical.js parse and count.
func TestCaseFeedGolden(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"events":[
		{"type":"hearing.rescheduled","data":{"hearing_id":"h-1","start":"2026-12-04T13:00:00-08:00","end":"2026-12-04T14:00:00-08:00","reason":"judge unavailable"}},
		{"type":"hearing.scheduled","data":{"hearing_id":"h-2","title":"Status conference; Zoom, then in person","start":"2026-12-10T10:00:00-08:00","end":"2026-12-10T10:30:00-08:00","location":{"courtroom":"Courtroom 4, 17th floor","address":"450 Golden Gate Ave., San Francisco, CA"},"judge":"Hon. Renée Ortiz"}},
		{"type":"hearing.cancelled","data":{"hearing_id":"h-2","reason":"resolved by stipulation"}},
		{"type":"appointment.scheduled","data":{"appointment_id":"a-1","title":"Weekly prep with client","start":"2026-12-01T16:00:00-08:00","end":"2026-12-01T17:00:00-08:00","rrule":"FREQ=WEEKLY;COUNT=6","attendees":["p-ann","p-cli"],"visibility":"internal"}},
		{"type":"appointment.cancelled","data":{"appointment_id":"a-1","occurrence":"2026-12-08T16:00:00-08:00"}},
		{"type":"appointment.rescheduled","data":{"appointment_id":"a-1","occurrence":"2026-12-15T16:00:00-08:00","start":"2026-12-16T10:00:00-08:00","end":"2026-12-16T11:00:00-08:00"}},
		{"type":"filing.due","data":{"filing_id":"f-1","title":"Opposition to motion to dismiss","due":"2026-12-14","responsible":["p-ann"]}}]}`)
	path, _ := e.feed(`{"scope":"case","id":"c-1","include_internal":true}`)
	got := e.do("GET", path, "").Body
	golden := filepath.Join("testdata", "case-feed.ics")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test ./api -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("feed differs from %s (rerun with -update if intended):\n%s", golden, got)
	}
}
