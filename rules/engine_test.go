package rules

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/docket/docket/calendar"
)

func TestInputErrors(t *testing.T) {
	e := newTestEngine(t)
	date := when(t, "2025-07-31")
	triggers := []struct {
		req   TriggerRequest
		field string
		msg   string // a part of the message
	}{
		{TriggerRequest{Trigger: "complaint.served", At: date}, "ruleset", "is required"},
		{TriggerRequest{RuleSet: "nope", Trigger: "complaint.served", At: date}, "ruleset", `"nope" is not a rule set`},
		{TriggerRequest{RuleSet: "frcp", Trigger: "complaint.filed", At: date}, "trigger", "complaint.served"},
		{TriggerRequest{RuleSet: "frcp", Trigger: "complaint.served"}, "at", "is required"},
		{TriggerRequest{RuleSet: "frcp", Trigger: "complaint.served", At: date, ServiceMethod: "fax"}, "service_method", `"fax" is not a service method of frcp`},
		{TriggerRequest{RuleSet: "frcp", Trigger: "discovery.served", At: date}, "service_method", "depend on how the papers were served"},
		{TriggerRequest{RuleSet: "ca-civ", Trigger: "motion.hearing.set", At: date, ServiceMethod: "leaving_with_clerk"}, "service_method", "mail_out_of_state"},
		{TriggerRequest{RuleSet: "frcp", Trigger: "complaint.served", At: when(t, "1999-12-01")}, "at", "outside 2000–2040"},
		{TriggerRequest{RuleSet: "frcp", Trigger: "judgment.entered", At: when(t, "2040-12-20")}, "at", "reaches 2041-01-17"},
		{TriggerRequest{RuleSet: "ca-civ", Trigger: "complaint.served", At: when(t, "2021-11-01")}, "at", "outside 2022–2040, the years the california holiday table covers"},
	}
	for _, tt := range triggers {
		_, err := e.ComputeTrigger(tt.req)
		checkInputError(t, "ComputeTrigger", err, tt.field, tt.msg)
	}
	periods := []struct {
		req   PeriodRequest
		field string
		msg   string
	}{
		{PeriodRequest{RuleSet: "frcp", Days: 30, Direction: After}, "from", "is required"},
		{PeriodRequest{RuleSet: "frcp", From: date, Direction: After}, "days", "give one of days, court_days or hours"},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: 3, Hours: 5, Direction: After}, "hours", "exactly one"},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: 3, CourtDays: 5, Direction: After}, "court_days", "exactly one"},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: -30, Direction: After}, "days", "positive"},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: 3651, Direction: After}, "days", "more than the 3650"},
		{PeriodRequest{RuleSet: "frcp", From: date, CourtDays: 2601, Direction: After}, "court_days", "more than the 2600"},
		{PeriodRequest{RuleSet: "frcp", From: date, Hours: 10001, Direction: After}, "hours", "more than the 10000"},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: 30}, "direction", "not one of after, before"},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: 30, Direction: "later"}, "direction", `"later"`},
		{PeriodRequest{RuleSet: "frcp", From: date, Days: 30, Direction: After, ServiceMethod: "pigeon"}, "service_method", `"pigeon"`},
		{PeriodRequest{RuleSet: "frcp", From: date, Hours: 24, Direction: After}, "from", "needs a time"},
		{PeriodRequest{RuleSet: "frcp", From: when(t, "2025-07-31T09:00:00Z"), Hours: 24, Direction: After, ServiceMethod: "mail"}, "service_method", "period in hours"},
		{PeriodRequest{RuleSet: "ca-civ", From: when(t, "2025-07-31T09:00:00Z"), Hours: 24, Direction: After}, "hours", "no periods in hours"},
		{PeriodRequest{RuleSet: "frcp", From: when(t, "2041-01-02"), Days: 1, Direction: After}, "from", "2041-01-02, outside 2000–2040"},
		{PeriodRequest{RuleSet: "frcp", From: when(t, "2040-12-15"), Days: 30, Direction: After}, "from", "refuses rather than guess"},
		{PeriodRequest{RuleSet: "frcp", From: when(t, "2000-01-20"), Days: 30, Direction: Before}, "from", "reaches 1999-12-21"},
		{PeriodRequest{RuleSet: "frcp", From: when(t, "2040-12-28T09:00:00Z"), Hours: 100, Direction: After}, "from", "outside 2000–2040"},
	}
	for _, tt := range periods {
		_, err := e.ComputePeriod(tt.req)
		checkInputError(t, "ComputePeriod", err, tt.field, tt.msg)
	}
}

func checkInputError(t *testing.T, op string, err error, field, msg string) {
	t.Helper()
	var ie *InputError
	if !errors.As(err, &ie) {
		t.Errorf("%s: error %v; want an *InputError on %q", op, err, field)
		return
	}
	if ie.Field != field || !strings.Contains(ie.Message, msg) {
		t.Errorf("%s: InputError{%q, %q}; want field %q and a message containing %q", op, ie.Field, ie.Message, field, msg)
	}
}

func TestComputeTriggerReturnsEveryDeadline(t *testing.T) {
	e := newTestEngine(t)
	ds, err := e.ComputeTrigger(TriggerRequest{RuleSet: "frcp", Trigger: "judgment.entered", At: when(t, "2025-07-31")})
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, due, citation string
		extendable        bool
	}{
		// 28 days after Thu 2025-07-31 is Thu 2025-08-28; 14 days is Thu 2025-08-14; 30 days
		// is Sat 2025-08-30, rolled past Labor Day to Tue 2025-09-02.
		{"renewed-jmol", "2025-08-28", "Fed. R. Civ. P. 50(b)", false},
		{"amended-findings", "2025-08-28", "Fed. R. Civ. P. 52(b)", false},
		{"new-trial", "2025-08-28", "Fed. R. Civ. P. 59(b)", false},
		{"alter-or-amend", "2025-08-28", "Fed. R. Civ. P. 59(e)", false},
		{"attorney-fees", "2025-08-14", "Fed. R. Civ. P. 54(d)(2)(B)(i)", true},
		{"notice-of-appeal", "2025-09-02", "Fed. R. App. P. 4(a)(1)(A)", true},
	}
	if len(ds) != len(want) {
		t.Fatalf("judgment.entered created %d deadlines; want %d", len(ds), len(want))
	}
	for i, w := range want {
		d := ds[i]
		if d.RuleID != w.id || d.Due.String() != w.due || d.Citation != w.citation || d.Extendable != w.extendable {
			t.Errorf("deadline %d = %s %s %q extendable=%v; want %s %s %q %v", i, d.RuleID, d.Due, d.Citation, d.Extendable,
				w.id, w.due, w.citation, w.extendable)
		}
		if len(d.ResponsibleRoles) == 0 || d.Title == "" || len(d.Trace) == 0 {
			t.Errorf("deadline %s lacks roles, title or trace: %+v", d.RuleID, d)
		}
	}
}

func TestWireFormat(t *testing.T) {
	e := newTestEngine(t)
	var pr PeriodRequest
	if err := json.Unmarshal([]byte(`{"ruleset":"frcp","from":"2025-07-31","days":30,"direction":"after","service_method":"mail"}`), &pr); err != nil {
		t.Fatal(err)
	}
	d, err := e.ComputePeriod(pr)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"rule_id", "title", "due", "citation", "trace", "responsible_roles", "extendable"} {
		if _, ok := got[k]; !ok {
			t.Errorf("Deadline JSON %s lacks %q", b, k)
		}
	}
	if got["due"] != "2025-09-05" || got["citation"] != "Fed. R. Civ. P. 6(a)(1); Fed. R. Civ. P. 6(d)" {
		t.Errorf("Deadline JSON = %s; want due 2025-09-05 and the 6(a)(1) and 6(d) citation", b)
	}

	var tr TriggerRequest
	if err := json.Unmarshal([]byte(`{"ruleset":"frcp","trigger":"complaint.served","at":"2025-07-31","service_method":"personal","closures":["2025-08-21"]}`), &tr); err != nil {
		t.Fatal(err)
	}
	ds, err := e.ComputeTrigger(tr)
	if err != nil {
		t.Fatal(err)
	}
	// 21 days after Thu 2025-07-31 is Thu 2025-08-21, when the clerk's office was closed.
	if len(ds) != 1 || ds[0].Due.String() != "2025-08-22" {
		t.Errorf("complaint.served with a closure on the last day = %+v; want due Fri 2025-08-22", ds)
	}

	hd, err := e.ComputePeriod(PeriodRequest{RuleSet: "frcp", From: when(t, "2025-08-28T17:00:00-07:00"), Hours: 72, Direction: After})
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(hd.Due); string(b) != `"2025-09-02T17:00:00-07:00"` {
		t.Errorf("hour period due JSON = %s; want the time with its offset", b)
	}
}

func TestRuleSets(t *testing.T) {
	e := newTestEngine(t)
	var ids []string
	for _, rs := range e.RuleSets() {
		ids = append(ids, rs.ID)
		prefix := map[string][]string{"frcp": {"Fed. R. Civ. P. ", "Fed. R. App. P. "}, "ca-civ": {"Cal. Civ. Proc. Code § "}}[rs.ID]
		for _, tr := range rs.Triggers {
			for _, r := range tr.Rules {
				if !strings.HasPrefix(r.Citation, prefix[0]) && (len(prefix) == 1 || !strings.HasPrefix(r.Citation, prefix[1])) {
					t.Errorf("%s %s %s: citation %q is not written as lawyers write it", rs.ID, tr.Kind, r.ID, r.Citation)
				}
			}
		}
	}
	if strings.Join(ids, " ") != "ca-civ frcp" {
		t.Errorf("RuleSets() ids = %v; want [ca-civ frcp]", ids)
	}

	frcp, ok := e.RuleSet("frcp")
	if !ok {
		t.Fatal("RuleSet(frcp) not found")
	}
	if frcp.HolidayYears != [2]int{2000, 2040} || frcp.Source != "rulesets/frcp.yaml" {
		t.Errorf("frcp holiday years %v, source %q", frcp.HolidayYears, frcp.Source)
	}
	// Fed. R. Civ. P. 6(b)(2): no extension of the times under Rules 50(b), 52(b), 59(b), (e).
	judgment, _ := frcp.Trigger("judgment.entered")
	for _, r := range judgment.Rules {
		want := !strings.Contains("50(b) 52(b) 59(b) 59(e)", strings.TrimPrefix(r.Citation, "Fed. R. Civ. P. "))
		if r.Extendable != want {
			t.Errorf("%s extendable = %v; want %v", r.Citation, r.Extendable, want)
		}
	}

	// Copies are the caller's: changing one leaves the engine's rules alone.
	judgment.Rules[0].N = 1
	frcp.Triggers[0].Rules[0].ResponsibleRoles[0] = "judge"
	again, _ := e.RuleSet("frcp")
	if tr, _ := again.Trigger("judgment.entered"); tr.Rules[0].N != 28 || again.Triggers[0].Rules[0].ResponsibleRoles[0] != "attorney" {
		t.Error("changing a returned RuleSet changed the engine's rules")
	}

	b, err := json.Marshal(frcp)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{`"id":"frcp"`, `"holiday_years":[2000,2040]`, `"service_methods":`, `"kind":"complaint.served"`, `"responsible_roles":`, `"extendable":false`} {
		if !strings.Contains(string(b), k) {
			t.Errorf("RuleSet JSON lacks %s", k)
		}
	}
	if _, ok := e.RuleSet("nope"); ok {
		t.Error(`RuleSet("nope") found something`)
	}
}

func TestCountingMethods(t *testing.T) {
	if got := strings.Join(CountingMethods(), " "); got != "ccp frap frcp" {
		t.Errorf("CountingMethods() = %q", got)
	}
}

func TestClosuresAreDates(t *testing.T) {
	var req PeriodRequest
	err := json.Unmarshal([]byte(`{"ruleset":"frcp","from":"2025-03-03","days":14,"direction":"after","closures":["2025-03-17"]}`), &req)
	if err != nil {
		t.Fatal(err)
	}
	if len(req.Closures) != 1 || req.Closures[0] != calendar.NewDate(2025, 3, 17) {
		t.Errorf("closures = %v", req.Closures)
	}
}
