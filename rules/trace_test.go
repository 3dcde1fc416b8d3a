package rules

import (
	"fmt"
	"testing"
)

// TestTraces checks the whole trace of a few computations, word for word: the trace is
// what a docketing clerk reads to check a date, so its wording is part of the contract.
func TestTraces(t *testing.T) {
	tests := []struct {
		ex   example
		want []string
	}{
		{example{ruleset: "frcp", from: "2025-07-31", days: 30, dir: After, service: "mail"}, []string{
			"30 days after 2025-07-31 is Sat 2025-08-30",
			"Saturday → Mon 2025-09-01 is Labor Day → Tue 2025-09-02 (Fed. R. Civ. P. 6(a)(1)(C))",
			"+3 days for service by mail (Fed. R. Civ. P. 6(d)) → Fri 2025-09-05",
		}},
		{example{ruleset: "frcp", from: "2024-11-25", days: 30, dir: After, service: "mail"}, []string{
			"30 days after 2024-11-25 is Wed 2024-12-25",
			"Christmas Day → Thu 2024-12-26 (Fed. R. Civ. P. 6(a)(1)(C))",
			"+3 days for service by mail (Fed. R. Civ. P. 6(d)) → Sun 2024-12-29",
			"Sunday → Mon 2024-12-30 (Fed. R. Civ. P. 6(a)(1)(C))",
		}},
		{example{ruleset: "frcp", trigger: "motion.hearing.set", rule: "motion-served", from: "2025-09-15"}, []string{
			"14 days before 2025-09-15 is Mon 2025-09-01",
			"counting backward: Labor Day → Fri 2025-08-29 (Fed. R. Civ. P. 6(a)(1)(C), 6(a)(5))",
		}},
		{example{ruleset: "frcp", from: "2025-08-28T17:00:00-07:00", hours: 72, dir: After}, []string{
			"72 hours after 2025-08-28T17:00:00-07:00 is Sun 2025-08-31T17:00:00-07:00",
			"Sunday → Mon 2025-09-01 is Labor Day → same time on Tue 2025-09-02T17:00:00-07:00 (Fed. R. Civ. P. 6(a)(2)(C))",
		}},
		{example{ruleset: "frcp", from: "2025-07-31", days: 30, dir: After, service: "electronic", closures: []string{"2025-09-02"}}, []string{
			"30 days after 2025-07-31 is Sat 2025-08-30",
			"Saturday → Mon 2025-09-01 is Labor Day → Tue 2025-09-02: clerk's office inaccessible → Wed 2025-09-03 (Fed. R. Civ. P. 6(a)(1)(C), 6(a)(3)(A))",
		}},
		{example{ruleset: "frcp", trigger: "complaint.served", rule: "answer", from: "2025-07-31", service: "mail"}, []string{
			"21 days after 2025-07-31 is Thu 2025-08-21",
			"no days added for how the summons and complaint were served: Fed. R. Civ. P. 6(d) applies to service under Rule 5(b), not to service of process under Rule 4",
		}},
		{example{ruleset: "ca-civ", trigger: "motion.hearing.set", rule: "moving-papers", from: "2025-11-26", service: "express"}, []string{
			"16 court days before 2025-11-26 is Mon 2025-11-03 (not counting Tue 2025-11-11, Veterans Day)",
			"2 calendar days earlier for service by Express Mail or overnight delivery (Cal. Civ. Proc. Code § 1005(b), counted backward under Cal. Civ. Proc. Code § 12c(b)) → Sat 2025-11-01",
			"counting backward: Saturday → Fri 2025-10-31 (Cal. Civ. Proc. Code §§ 12a, 12c)",
		}},
		{example{ruleset: "ca-civ", trigger: "discovery.served", rule: "interrogatory-responses", from: "2025-10-28", service: "electronic"}, []string{
			"30 days after 2025-10-28 is Thu 2025-11-27",
			"+2 court days for electronic service (Cal. Civ. Proc. Code § 1010.6(a)(3)(B)) → Tue 2025-12-02 (not counting Fri 2025-11-28, Day after Thanksgiving)",
		}},
	}
	e := newTestEngine(t)
	for _, tt := range tests {
		d, err := tt.ex.compute(t, e)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprintf("%q", d.Trace) != fmt.Sprintf("%q", tt.want) {
			t.Errorf("trace for %s %s %s %s:\n got  %q\n want %q", tt.ex.ruleset, tt.ex.trigger, tt.ex.from, tt.ex.service, d.Trace, tt.want)
		}
	}
}
