package api_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docket/docket/api"
	"github.com/docket/docket/projections"
)

// Projections rebuilt from the stream equal the live ones, byte for byte.
func TestRebuildEqualsLive(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"events":[
		{"type":"hearing.rescheduled","data":{"hearing_id":"h-1","start":"2026-12-04T13:00:00-08:00","end":"2026-12-04T14:00:00-08:00","reason":"judge unavailable"}},
		{"type":"appointment.scheduled","data":{"appointment_id":"a-1","title":"Weekly prep","start":"2026-12-01T16:00:00-08:00","end":"2026-12-01T17:00:00-08:00","rrule":"FREQ=WEEKLY;COUNT=6","attendees":["p-ann"],"visibility":"internal"}},
		{"type":"appointment.cancelled","data":{"appointment_id":"a-1","occurrence":"2026-12-08T16:00:00-08:00"}},
		{"type":"appointment.rescheduled","data":{"appointment_id":"a-1","occurrence":"2026-12-15T16:00:00-08:00","start":"2026-12-16T10:00:00-08:00","end":"2026-12-16T11:00:00-08:00"}},
		{"type":"filing.due","data":{"filing_id":"f-1","title":"Opposition brief","due":"2026-12-14","responsible":["p-ann"]}},
		{"type":"filing.extended","data":{"filing_id":"f-1","due":"2026-12-21","reason":"stipulation"}},
		{"type":"party.updated","data":{"party_id":"p-cli","email":"carl@example.com"}},
		{"type":"reminder.policy.set","data":{"rules":[{"items":["hearing"],"roles":["attorney"],"before":"P2D","channels":["email"]}]}}]}`)
	e.mustDo(201, "POST", "/v1/cases", strings.Replace(openBody, "c-1", "c-2", 1))
	e.mustDo(201, "POST", "/v1/cases/c-2/events", `{"type":"case.closed","data":{"reason":"settled"}}`)

	live := snapshot(t, e.cases)
	again := newInstance(t, e.nc, e.store, nil)
	if err := again.runner.WaitFor(t.Context(), e.lastSeq()); err != nil {
		t.Fatal(err)
	}
	if rebuilt := snapshot(t, again.cases); rebuilt != live {
		t.Fatalf("rebuilt projections differ from live ones:\nlive:    %s\nrebuilt: %s", live, rebuilt)
	}
	// Calendars agree too (the JSON twin of the feeds).
	path := "/v1/cases/c-1/calendar?from=2026-11-01&to=2027-01-31"
	if a, b := e.do("GET", path, "").Body, again.do("GET", path, "").Body; string(a) != string(b) {
		t.Fatalf("calendars differ:\n%s\n%s", a, b)
	}
	cal := e.mustDo(200, "GET", path, "")["entries"].([]any)
	// Hearing + filing + 6 weekly occurrences less the cancelled one (the moved one stays).
	if len(cal) != 7 {
		t.Fatalf("calendar has %d entries; want 7: %v", len(cal), cal)
	}
}

func snapshot(t *testing.T, cs *projections.Cases) string {
	t.Helper()
	var b strings.Builder
	cs.Each(nil, func(c *projections.Case) {
		j, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(j)
		b.WriteByte('\n')
	})
	return b.String()
}

// A write on one instance is readable on another with ?min_seq= from Docket-Seq.
func TestMinSeqAcrossInstances(t *testing.T) {
	a := newEnv(t, nil)
	b := newInstance(t, a.nc, a.store, nil)
	r := a.do("POST", "/v1/cases", openBody)
	seq := r.Header.Get("Docket-Seq")
	if r.Status != 201 || seq != "1" {
		t.Fatalf("open = %d, Docket-Seq %q", r.Status, seq)
	}
	b.mustDo(200, "GET", "/v1/cases/c-1?min_seq="+seq, "")
	// Waiting for a sequence that never comes ends with 503, not a hang.
	b.api.ReadWait = 50 * time.Millisecond
	if r := b.do("GET", "/v1/cases/c-1?min_seq=999", ""); r.Status != 503 {
		t.Fatalf("min_seq=999 = %d; want 503\n%s", r.Status, r.Body)
	}
}

func TestAPIKeys(t *testing.T) {
	keys, err := api.ParseKeyList("reader-key-0123456789 read dashboard;writer-key-0123456789 write pms")
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, keys)
	tests := []struct {
		method, path, body, key string
		want                    int
	}{
		{"GET", "/v1/cases", "", "", 401},
		{"GET", "/v1/cases", "", "wrong-key-0123456789", 401},
		{"GET", "/v1/cases", "", "reader-key-0123456789", 200},
		{"POST", "/v1/cases", openBody, "reader-key-0123456789", 403},
		{"POST", "/v1/cases", openBody, "writer-key-0123456789", 201},
		{"GET", "/healthz", "", "", 200},
	}
	for _, tt := range tests {
		var h []string
		if tt.key != "" {
			h = []string{"Authorization", "Bearer " + tt.key}
		}
		if r := e.do(tt.method, tt.path, tt.body, h...); r.Status != tt.want {
			t.Errorf("%s %s with %q = %d; want %d\n%s", tt.method, tt.path, tt.key, r.Status, tt.want, r.Body)
		}
	}
	// The actor of an event is the key's name, never the key.
	hist := e.mustDo(200, "GET", "/v1/cases/c-1/events", "", "Authorization", "Bearer reader-key-0123456789")["events"].([]any)
	if actor := hist[0].(map[string]any)["actor"]; actor != "pms" {
		t.Fatalf("actor = %v; want pms", actor)
	}
	for _, bad := range []string{"short read", "long-enough-key-123 emperor", "only-one-field-here"} {
		if _, err := api.ParseKeyList(bad); err == nil {
			t.Errorf("ParseKeyList(%q) accepted", bad)
		}
	}
}

// Other services append over NATS with the same JSON and get the same answers.
func TestMicroAppend(t *testing.T) {
	e := newEnv(t, nil)
	ms, err := api.StartMicro(e.nc, e.svc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ms.Stop() })
	e.mustDo(201, "POST", "/v1/cases", openBody)

	req := func(body string, h nats.Header) *nats.Msg {
		m := nats.NewMsg(api.MicroSubject)
		m.Data, m.Header = []byte(body), h
		reply, err := e.nc.RequestMsg(m, 5*time.Second)
		if err != nil {
			t.Fatal(err)
		}
		return reply
	}
	ok := req(`{"type":"party.added","data":{"party_id":"p-pms","name":"From PMS"}}`, nats.Header{"Case-Id": {"c-1"}, "Idempotency-Key": {"pms-1"}})
	var res api.AppendResult
	if err := json.Unmarshal(ok.Data, &res); err != nil || res.Version != 2 || ok.Header.Get("Nats-Service-Error-Code") != "" {
		t.Fatalf("append = %s %v (%v)", ok.Data, ok.Header, err)
	}
	retry := req(`{"type":"party.added","data":{"party_id":"p-pms","name":"From PMS"}}`, nats.Header{"Case-Id": {"c-1"}, "Idempotency-Key": {"pms-1"}})
	if string(retry.Data) != string(ok.Data) {
		t.Fatalf("retry = %s; want %s", retry.Data, ok.Data)
	}
	for _, tt := range []struct {
		body   string
		h      nats.Header
		status string
		field  string
	}{
		{`{"type":"party.added","data":{"party_id":"p-2"}}`, nats.Header{}, "400", "Case-Id"},
		{`{"type":"party.added","data":{"party_id":"p 2"}}`, nats.Header{"Case-Id": {"c-1"}}, "400", "/data/party_id"},
		{`{"type":"party.added","data":{"party_id":"p-2"}}`, nats.Header{"Case-Id": {"c-1"}, "If-Match": {"1"}}, "409", "If-Match"},
		{`{"type":"party.added","data":{"party_id":"p-2"}}`, nats.Header{"Case-Id": {"nope"}}, "404", ""},
	} {
		r := req(tt.body, tt.h)
		var p api.Problem
		if err := json.Unmarshal(r.Data, &p); err != nil {
			t.Fatalf("%s: not a problem: %s", tt.body, r.Data)
		}
		if got := r.Header.Get("Nats-Service-Error-Code"); got != tt.status || p.Field != tt.field {
			t.Errorf("%v %s = %s field %q; want %s field %q", tt.h, tt.body, got, p.Field, tt.status, tt.field)
		}
	}
	if got := e.lastSeq(); got != 2 {
		t.Fatalf("stream at %d; want 2", got)
	}

}
