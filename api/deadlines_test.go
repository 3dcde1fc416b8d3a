package api_test

import (
	"strings"
	"testing"
)

func TestComputeCalculator(t *testing.T) {
	e := newEnv(t, nil)
	// The public lexdays example: 30 days after 2025-07-31, served by mail.
	r := e.mustDo(200, "POST", "/v1/deadlines/compute", `{"ruleset":"frcp","from":"2025-07-31","days":30,"direction":"after","service_method":"mail"}`)
	d := r["deadlines"].([]any)[0].(map[string]any)
	if d["due"] != "2025-09-05" || d["citation"] == "" || len(d["trace"].([]any)) < 3 {
		t.Fatalf("period = %v", d)
	}
	trace := strings.Join(toStrings(d["trace"].([]any)), "\n")
	for _, want := range []string{"2025-08-30", "Labor Day", "2025-09-02", "6(d)"} {
		if !strings.Contains(trace, want) {
			t.Errorf("trace lacks %q:\n%s", want, trace)
		}
	}
	// Every deadline of a trigger.
	all := e.mustDo(200, "POST", "/v1/deadlines/compute", `{"ruleset":"frcp","trigger":"judgment.entered","at":"2026-03-02"}`)["deadlines"].([]any)
	if len(all) < 5 {
		t.Fatalf("judgment.entered gave %d deadlines", len(all))
	}
	rs := e.mustDo(200, "GET", "/v1/rulesets", "")["rulesets"].([]any)
	if len(rs) < 2 {
		t.Fatalf("rulesets = %v", rs)
	}
	e.mustDo(200, "GET", "/v1/rulesets/ca-civ", "")
	e.mustDo(404, "GET", "/v1/rulesets/nope", "")

	for _, tt := range []struct{ body, field string }{
		{`{"ruleset":"nope","from":"2025-07-31","days":30,"direction":"after"}`, "/ruleset"},
		{`{"ruleset":"frcp","trigger":"moon.landed","at":"2025-07-31"}`, "/trigger"},
		{`{"ruleset":"frcp","trigger":"judgment.entered"}`, "/at"},
		{`{"ruleset":"frcp","from":"2025-02-30","days":30,"direction":"after"}`, "/from"},
		{`{"ruleset":"frcp","from":"2025-07-31","days":-3,"direction":"after"}`, "/days"},
		{`{"ruleset":"frcp","from":"2025-07-31","days":99999,"direction":"after"}`, "/days"},
		{`{"ruleset":"frcp","from":"2025-07-31","days":3,"hours":4,"direction":"after"}`, "/hours"},
		{`{"ruleset":"frcp","from":"2025-07-31","days":3,"direction":"sideways"}`, "/direction"},
		{`{"ruleset":"frcp","from":"1990-07-31","days":3,"direction":"after"}`, "/from"},
		{`{"ruleset":"frcp","from":"2025-07-31","days":3,"direction":"after","service_method":"owl"}`, "/service_method"},
		{`{"ruleset":"frcp"}`, "/trigger"},
		{`{"ruleset":"frcp","days":"thirty"}`, "/days"},
	} {
		res := e.do("POST", "/v1/deadlines/compute", tt.body)
		if res.Status != 400 || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) {
			t.Errorf("compute %s = %d %s; want 400 naming %s", tt.body, res.Status, res.Body, tt.field)
		}
	}
}

func toStrings(v []any) []string {
	out := make([]string, len(v))
	for i, x := range v {
		out[i] = x.(string)
	}
	return out
}

// A trigger on a case appends its deadlines atomically; recording it again with another date
// recomputes them under the same ids with a higher revision; an override survives.
func TestTriggerComputesDeadlinesOnCase(t *testing.T) {
	e := newEnv(t, nil)
	e.mustDo(201, "POST", "/v1/cases", strings.Replace(openBody, `"court"`, `"ruleset":"frcp","court"`, 1))
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p-ann","name":"Ann","role":"attorney"}}`)
	r := e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"trigger.recorded","data":{"trigger_id":"t-served","kind":"complaint.served","at":"2026-11-02","service_method":"personal"}}`)
	if n := len(r["events"].([]any)); n < 2 {
		t.Fatalf("trigger appended %d events; want the trigger and its deadlines", n)
	}
	dl := e.mustDo(200, "GET", "/v1/cases/c-1/deadlines", "")["deadlines"].([]any)
	answer := findDeadline(t, dl, "t-served-answer")
	// 21 days after Mon 2026-11-02 is Mon 2026-11-23, a court day.
	if answer["due"] != "2026-11-23" || answer["citation"] != "Fed. R. Civ. P. 12(a)(1)(A)(i)" || answer["revision"].(float64) != 0 {
		t.Fatalf("answer = %v", answer)
	}
	// Recorded again, served a week later: same id, new due, next revision.
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"trigger.recorded","data":{"trigger_id":"t-served","kind":"complaint.served","at":"2026-11-09","service_method":"personal"}}`)
	answer = findDeadline(t, e.mustDo(200, "GET", "/v1/cases/c-1/deadlines", "")["deadlines"].([]any), "t-served-answer")
	// 21 days after Mon 2026-11-09 is Mon 2026-11-30.
	if answer["due"] != "2026-11-30" || answer["revision"].(float64) != 1 {
		t.Fatalf("recomputed answer = %v", answer)
	}
	// The court orders another date; a later recomputation keeps it.
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"deadline.overridden","data":{"deadline_id":"t-served-answer","due":"2026-12-15","reason":"Order granting extension, ECF 12"}}`)
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"trigger.recorded","data":{"trigger_id":"t-served","kind":"complaint.served","at":"2026-11-10","service_method":"personal"}}`)
	answer = findDeadline(t, e.mustDo(200, "GET", "/v1/cases/c-1/deadlines", "")["deadlines"].([]any), "t-served-answer")
	if answer["effective_due"] != "2026-12-15" || answer["due"] != "2026-12-01" || answer["overridden"] != "2026-12-15" {
		t.Fatalf("overridden answer = %v", answer)
	}
	// The deadline is in the case's calendar, on the effective date.
	cal := e.mustDo(200, "GET", "/v1/cases/c-1/calendar?from=2026-12-01&to=2026-12-31", "")["entries"].([]any)
	found := false
	for _, c := range cal {
		c := c.(map[string]any)
		if c["uid"] == "c-1.deadline.t-served-answer@docket" {
			found = c["start"] == "2026-12-15" && c["sequence"].(float64) == 3
		}
	}
	if !found {
		t.Fatalf("calendar lacks the overridden deadline at 2026-12-15 with sequence 3: %v", cal)
	}

	for _, tt := range []struct{ body, field string }{
		{`{"type":"trigger.recorded","data":{"trigger_id":"t-2","kind":"moon.landed","at":"2026-11-02"}}`, "/data/kind"},
		{`{"type":"trigger.recorded","data":{"trigger_id":"t-2","kind":"discovery.served","at":"2026-11-02","service_method":"fax"}}`, "/data/service_method"},
		{`{"type":"trigger.recorded","data":{"trigger_id":"t-2","kind":"discovery.served","at":"1980-11-02","service_method":"mail"}}`, "/data/at"},
		{`{"type":"deadline.overridden","data":{"deadline_id":"t-none","due":"2026-12-15"}}`, "/data/deadline_id"},
		{`{"type":"case.updated","data":{"ruleset":"klingon"}}`, "/data/ruleset"},
	} {
		before := e.lastSeq()
		res := e.do("POST", "/v1/cases/c-1/events", tt.body)
		if res.Status != 400 || !strings.Contains(string(res.Body), `"field":"`+tt.field+`"`) || e.lastSeq() != before {
			t.Errorf("%s = %d %s; want 400 naming %s and nothing appended", tt.body, res.Status, res.Body, tt.field)
		}
	}
}

func findDeadline(t *testing.T, ds []any, id string) map[string]any {
	t.Helper()
	for _, d := range ds {
		if m := d.(map[string]any); m["deadline_id"] == id {
			return m
		}
	}
	t.Fatalf("no deadline %s in %v", id, ds)
	return nil
}

// A day the clerk's office was closed counts like a holiday (Fed. R. Civ. P. 6(a)(3)).
func TestTriggerWithClosure(t *testing.T) {
	e := newEnv(t, nil)
	e.mustDo(201, "POST", "/v1/cases", strings.Replace(openBody, `"court"`, `"ruleset":"frcp","court"`, 1))
	// 21 days after Mon 2026-11-02 is Mon 2026-11-23; closed that day → Tue 2026-11-24.
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"trigger.recorded","data":{"trigger_id":"t-1","kind":"complaint.served","at":"2026-11-02","service_method":"personal","closures":["2026-11-23"]}}`)
	answer := findDeadline(t, e.mustDo(200, "GET", "/v1/cases/c-1/deadlines", "")["deadlines"].([]any), "t-1-answer")
	if answer["due"] != "2026-11-24" {
		t.Fatalf("answer with the clerk's office closed on its last day = %v", answer)
	}
	r := e.do("POST", "/v1/cases/c-1/events", `{"type":"trigger.recorded","data":{"trigger_id":"t-1","kind":"complaint.served","at":"2026-11-02","closures":["2026-11-31"]}}`)
	if r.Status != 400 || !strings.Contains(string(r.Body), `"field":"/data/closures/0"`) {
		t.Fatalf("bad closure = %d %s", r.Status, r.Body)
	}
}
