package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/docket/docket/api"
)

// The README walkthrough: open a case, add a party, schedule a hearing, read it all back.
func TestWalkthrough(t *testing.T) {
	e := newEnv(t, nil)
	open := e.mustDo(201, "POST", "/v1/cases", openBody)
	if open["case_id"] != "c-1" || open["version"].(float64) != 1 {
		t.Fatalf("open = %v", open)
	}
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p-ann","name":"Ann Lee","role":"attorney","email":"ann@firm.example"}}`, "If-Match", "1")
	r := e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"hearing.scheduled","data":{"hearing_id":"h-1","title":"Motion hearing","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00","attendees":["p-ann"]}}`, "If-Match", `"2"`)
	if r["version"].(float64) != 3 {
		t.Fatalf("version = %v; want 3", r["version"])
	}
	c := e.mustDo(200, "GET", "/v1/cases/c-1", "")
	if c["version"].(float64) != 3 || c["parties"].(map[string]any)["p-ann"] == nil || c["hearings"].(map[string]any)["h-1"] == nil {
		t.Fatalf("case = %v", c)
	}
	cal := e.mustDo(200, "GET", "/v1/cases/c-1/calendar?from=2026-12-01&to=2026-12-31", "")
	entries := cal["entries"].([]any)
	if len(entries) != 1 || entries[0].(map[string]any)["start"] != "2026-12-03T09:00:00-08:00" {
		t.Fatalf("calendar = %v", cal)
	}
	hist := e.mustDo(200, "GET", "/v1/cases/c-1/events", "")["events"].([]any)
	if len(hist) != 3 || hist[2].(map[string]any)["type"] != "hearing.scheduled" || hist[2].(map[string]any)["seq"].(float64) != 3 {
		t.Fatalf("history = %v", hist)
	}
	if after := e.mustDo(200, "GET", "/v1/cases/c-1/events?after=2", "")["events"].([]any); len(after) != 1 {
		t.Fatalf("history after 2 = %v", after)
	}
	list := e.mustDo(200, "GET", "/v1/cases", "")["cases"].([]any)
	if len(list) != 1 {
		t.Fatalf("list = %v", list)
	}
	if byParty := e.mustDo(200, "GET", "/v1/cases?party_id=p-ann", "")["cases"].([]any); len(byParty) != 1 {
		t.Fatalf("cases of p-ann = %v", byParty)
	}
	if none := e.mustDo(200, "GET", "/v1/cases?party_id=nobody", "")["cases"].([]any); len(none) != 0 {
		t.Fatalf("cases of nobody = %v", none)
	}
}

// Every bad input gets a problem document naming the field, and nothing is appended.
func TestBadInput(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	hearing := func(extra string) string {
		return `{"type":"hearing.scheduled","data":{"hearing_id":"h-2","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00"` + extra + `}}`
	}
	tests := []struct {
		name, method, path, body string
		headers                  []string
		status                   int
		field                    string
	}{
		{"malformed JSON", "POST", "/v1/cases/c-1/events", `{"type":`, nil, 400, ""},
		{"not an object", "POST", "/v1/cases/c-1/events", `[1,2]`, nil, 400, ""},
		{"empty body", "POST", "/v1/cases/c-1/events", ``, nil, 400, "body"},
		{"trailing data", "POST", "/v1/cases/c-1/events", hearing("") + `{}`, nil, 400, ""},
		{"unknown type", "POST", "/v1/cases/c-1/events", `{"type":"hearing.teleported","data":{}}`, nil, 400, "/type"},
		{"missing type", "POST", "/v1/cases/c-1/events", `{"data":{}}`, nil, 400, "/type"},
		{"system type", "POST", "/v1/cases/c-1/events", `{"type":"deadline.computed","data":{}}`, nil, 400, "/type"},
		{"missing data", "POST", "/v1/cases/c-1/events", `{"type":"party.added"}`, nil, 400, "/data"},
		{"unknown field", "POST", "/v1/cases/c-1/events", hearing(`,"colour":"red"`), nil, 400, "/data/colour"},
		{"unknown top-level field", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p9"},"extra":1}`, nil, 400, "/extra"},
		{"type and events", "POST", "/v1/cases/c-1/events", `{"type":"party.added","events":[]}`, nil, 400, "/events"},
		{"empty events", "POST", "/v1/cases/c-1/events", `{"events":[]}`, nil, 400, "/events"},
		{"wrong field type", "POST", "/v1/cases/c-1/events", hearing(`,"attendees":"p-ann"`), nil, 400, "/data/attendees"},
		{"missing required", "POST", "/v1/cases/c-1/events", `{"type":"hearing.scheduled","data":{"hearing_id":"h-2","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00"}}`, nil, 400, "/data/title"},
		{"bad item id", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"has space"}}`, nil, 400, "/data/party_id"},
		{"id too long", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"` + strings.Repeat("a", 65) + `"}}`, nil, 400, "/data/party_id"},
		{"time without offset", "POST", "/v1/cases/c-1/events", `{"type":"hearing.scheduled","data":{"hearing_id":"h-2","title":"T","start":"2026-12-03T09:00:00","end":"2026-12-03T10:00:00-08:00"}}`, nil, 400, "/data/start"},
		{"impossible date", "POST", "/v1/cases/c-1/events", `{"type":"filing.due","data":{"filing_id":"f-1","title":"Answer","due":"2026-02-30"}}`, nil, 400, "/data/due"},
		{"impossible time", "POST", "/v1/cases/c-1/events", `{"type":"hearing.scheduled","data":{"hearing_id":"h-2","title":"T","start":"2026-12-03T25:00:00-08:00","end":"2026-12-03T10:00:00-08:00"}}`, nil, 400, "/data/start"},
		{"end before start", "POST", "/v1/cases/c-1/events", `{"type":"hearing.scheduled","data":{"hearing_id":"h-2","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T08:00:00-08:00"}}`, nil, 400, "/data/end"},
		{"unknown zone", "POST", "/v1/cases", `{"docket_number":"1","title":"T","court":{"id":"x","time_zone":"Mars/Olympus"}}`, nil, 400, "/court/time_zone"},
		{"missing zone", "POST", "/v1/cases", `{"docket_number":"1","title":"T","court":{"id":"x"}}`, nil, 400, "/court/time_zone"},
		{"bad case id", "POST", "/v1/cases", `{"case_id":"no/slash","docket_number":"1","title":"T","court":{"id":"x","time_zone":"UTC"}}`, nil, 400, "/case_id"},
		{"case id taken", "POST", "/v1/cases", openBody, nil, 409, "/case_id"},
		{"bad email", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p9","email":"not-an-address"}}`, nil, 400, "/data/email"},
		{"bad phone", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p9","phone":"555-1234"}}`, nil, 400, "/data/phone"},
		{"bad role", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p9","role":"king"}}`, nil, 400, "/data/role"},
		{"bad channel", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p9","channels":["email","pigeon"]}}`, nil, 400, "/data/channels/1"},
		{"party twice", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p-ann"}}`, nil, 409, "/data/party_id"},
		{"unknown attendee", "POST", "/v1/cases/c-1/events", hearing(`,"attendees":["p-ann","p-ghost"]`), nil, 400, "/data/attendees/1"},
		{"bad visibility", "POST", "/v1/cases/c-1/events", hearing(`,"visibility":"secret"`), nil, 400, "/data/visibility"},
		{"unknown hearing", "POST", "/v1/cases/c-1/events", `{"type":"hearing.cancelled","data":{"hearing_id":"h-9"}}`, nil, 400, "/data/hearing_id"},
		{"rrule never matches", "POST", "/v1/cases/c-1/events", `{"type":"appointment.scheduled","data":{"appointment_id":"a-1","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00","rrule":"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}}`, nil, 400, "/data/rrule"},
		{"rrule syntax", "POST", "/v1/cases/c-1/events", `{"type":"appointment.scheduled","data":{"appointment_id":"a-1","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00","rrule":"FREQ=SOMETIMES"}}`, nil, 400, "/data/rrule"},
		{"rrule too fine", "POST", "/v1/cases/c-1/events", `{"type":"appointment.scheduled","data":{"appointment_id":"a-1","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00","rrule":"FREQ=SECONDLY"}}`, nil, 400, "/data/rrule"},
		{"bad policy item", "POST", "/v1/cases/c-1/events", `{"type":"reminder.policy.set","data":{"rules":[{"items":["picnic"],"roles":["attorney"],"before":"P1D","channels":["email"]}]}}`, nil, 400, "/data/rules/0/items/0"},
		{"bad policy offset", "POST", "/v1/cases/c-1/events", `{"type":"reminder.policy.set","data":{"rules":[{"items":["hearing"],"roles":["attorney"],"before":"P9999D","channels":["email"]}]}}`, nil, 400, "/data/rules/0/before"},
		{"bad trigger method", "POST", "/v1/cases/c-1/events", `{"type":"trigger.recorded","data":{"trigger_id":"t-1","kind":"complaint.served","at":"2026-11-02","service_method":"carrier_pigeon"}}`, nil, 400, "/data/service_method"},
		{"batch: second event bad", "POST", "/v1/cases/c-1/events", `{"events":[{"type":"party.added","data":{"party_id":"p7"}},{"type":"party.added","data":{"party_id":"p7"}}]}`, nil, 409, "/events/1/data/party_id"},
		{"batch: bad type", "POST", "/v1/cases/c-1/events", `{"events":[{"type":"party.added","data":{"party_id":"p7"}},{"type":"bogus","data":{}}]}`, nil, 400, "/events/1/type"},
		{"stale If-Match", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p8"}}`, []string{"If-Match", "1"}, 409, "If-Match"},
		{"bad If-Match", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p8"}}`, []string{"If-Match", "abc"}, 400, "If-Match"},
		{"unknown case", "POST", "/v1/cases/c-404/events", `{"type":"party.added","data":{"party_id":"p8"}}`, nil, 404, ""},
		{"unknown case read", "GET", "/v1/cases/c-404", "", nil, 404, ""},
		{"unknown case calendar", "GET", "/v1/cases/c-404/calendar", "", nil, 404, ""},
		{"unknown case history", "GET", "/v1/cases/c-404/events", "", nil, 404, ""},
		{"bad window", "GET", "/v1/cases/c-1/calendar?from=2026-13-01", "", nil, 400, "from"},
		{"window reversed", "GET", "/v1/cases/c-1/calendar?from=2027-01-01&to=2026-01-01", "", nil, 400, "to"},
		{"window too wide", "GET", "/v1/cases/c-1/calendar?from=2020-01-01&to=2030-01-01", "", nil, 400, "to"},
		{"bad after", "GET", "/v1/cases/c-1/events?after=x", "", nil, 400, "after"},
		{"bad min_seq", "GET", "/v1/cases/c-1?min_seq=x", "", nil, 400, "min_seq"},
		{"no such route", "GET", "/v2/nothing", "", nil, 404, ""},
		{"over 1 MiB", "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p8","name":"` + strings.Repeat("x", 1<<20) + `"}}`, nil, 413, "body"},
		{"closed case", "POST", "/v1/cases/c-1/events", `{"events":[{"type":"case.closed","data":{}},{"type":"party.added","data":{"party_id":"p8"}}]}`, nil, 409, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.lastSeq()
			r := e.do(tt.method, tt.path, tt.body, tt.headers...)
			if r.Status != tt.status {
				t.Fatalf("status = %d; want %d\n%s", r.Status, tt.status, r.Body)
			}
			if ct := r.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("Content-Type = %q; want application/problem+json", ct)
			}
			var p api.Problem
			if err := json.Unmarshal(r.Body, &p); err != nil {
				t.Fatalf("not a problem document: %v\n%s", err, r.Body)
			}
			if p.Status != tt.status || p.Detail == "" || p.Type == "" || p.Title == "" {
				t.Errorf("problem = %+v", p)
			}
			if p.Field != tt.field {
				t.Errorf("field = %q; want %q (%s)", p.Field, tt.field, p.Detail)
			}
			if after := e.lastSeq(); after != before {
				t.Errorf("stream moved from %d to %d: something was appended", before, after)
			}
		})
	}
}

func TestConflictCarriesVersion(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	r := e.do("POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p8"}}`, "If-Match", "1")
	var p api.Problem
	_ = json.Unmarshal(r.Body, &p)
	if r.Status != 409 || p.Version != 4 {
		t.Fatalf("conflict = %d %+v; want 409 with version 4", r.Status, p)
	}
	// With the version from the problem, the retry succeeds.
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p8"}}`, "If-Match", fmt.Sprint(p.Version))
}

// A client that retries with the same Idempotency-Key gets the first answer and no second event.
func TestIdempotentRetry(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	body := `{"type":"filing.due","data":{"filing_id":"f-1","title":"Answer","due":"2026-12-14","responsible":["p-ann"]}}`
	first := e.do("POST", "/v1/cases/c-1/events", body, "Idempotency-Key", "k-1")
	seq := e.lastSeq()
	for _, h := range [][]string{{"Idempotency-Key", "k-1"}, {"Idempotency-Key", "k-1", "If-Match", "4"}} {
		again := e.do("POST", "/v1/cases/c-1/events", body, h...)
		if again.Status != first.Status || string(again.Body) != string(first.Body) {
			t.Fatalf("retry %v = %d %s; want %d %s", h, again.Status, again.Body, first.Status, first.Body)
		}
	}
	batch := `{"events":[{"type":"party.added","data":{"party_id":"p-w"}},{"type":"party.added","data":{"party_id":"p-x"}}]}`
	b1 := e.mustDo(201, "POST", "/v1/cases/c-1/events", batch, "Idempotency-Key", "k-2", "If-Match", fmt.Sprint(seq))
	b2 := e.mustDo(201, "POST", "/v1/cases/c-1/events", batch, "Idempotency-Key", "k-2", "If-Match", fmt.Sprint(seq))
	if fmt.Sprint(b1) != fmt.Sprint(b2) {
		t.Fatalf("batch retry = %v; want %v", b2, b1)
	}
	if got := e.lastSeq(); got != seq+2 {
		t.Fatalf("stream at %d; want %d (one filing, two parties, no copies)", got, seq+2)
	}
	// Opening a case is idempotent too.
	o1 := e.do("POST", "/v1/cases", strings.Replace(openBody, "c-1", "c-2", 1), "Idempotency-Key", "open-2")
	o2 := e.do("POST", "/v1/cases", strings.Replace(openBody, "c-1", "c-2", 1), "Idempotency-Key", "open-2")
	if o1.Status != 201 || o2.Status != 201 || string(o1.Body) != string(o2.Body) {
		t.Fatalf("open retry = %d %s / %d %s", o1.Status, o1.Body, o2.Status, o2.Body)
	}
}

// Twenty clients append with the same If-Match: exactly one wins, the rest get 409.
func TestConcurrentIfMatchOneWins(t *testing.T) {
	e := newEnv(t, nil)
	e.mustDo(201, "POST", "/v1/cases", openBody)
	var wg sync.WaitGroup
	var mu sync.Mutex
	codes := map[int]int{}
	for i := range 20 {
		wg.Go(func() {
			r := e.do("POST", "/v1/cases/c-1/events", fmt.Sprintf(`{"type":"party.added","data":{"party_id":"p-%d"}}`, i), "If-Match", "1")
			mu.Lock()
			codes[r.Status]++
			mu.Unlock()
		})
	}
	wg.Wait()
	if codes[201] != 1 || codes[409] != 19 {
		t.Fatalf("statuses = %v; want one 201 and nineteen 409", codes)
	}
	if e.lastSeq() != 2 {
		t.Fatalf("stream at %d; want 2", e.lastSeq())
	}
}

// Without If-Match, concurrent appends all land: the service retries on conflict.
func TestConcurrentAppendsWithoutIfMatchAllLand(t *testing.T) {
	e := newEnv(t, nil)
	e.mustDo(201, "POST", "/v1/cases", openBody)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			e.mustDo(201, "POST", "/v1/cases/c-1/events", fmt.Sprintf(`{"type":"party.added","data":{"party_id":"p-%d"}}`, i))
		})
	}
	wg.Wait()
	c := e.mustDo(200, "GET", "/v1/cases/c-1", "")
	if n := len(c["parties"].(map[string]any)); n != 8 {
		t.Fatalf("parties = %d; want 8", n)
	}
}

// Ten copies of one request race with the same Idempotency-Key: one event is stored and all
// ten get its answer.
func TestConcurrentRetriesOneEvent(t *testing.T) {
	e := newEnv(t, nil)
	e.mustDo(201, "POST", "/v1/cases", openBody)
	var wg sync.WaitGroup
	bodies := make([]string, 10)
	for i := range bodies {
		wg.Go(func() {
			r := e.do("POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p-1"}}`, "Idempotency-Key", "same")
			bodies[i] = fmt.Sprint(r.Status, string(r.Body))
		})
	}
	wg.Wait()
	for _, b := range bodies[1:] {
		if b != bodies[0] {
			t.Fatalf("answers differ:\n%s\n%s", bodies[0], b)
		}
	}
	if got := e.lastSeq(); got != 2 {
		t.Fatalf("stream at %d; want 2", got)
	}
}
