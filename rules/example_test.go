package rules_test

import (
	"fmt"
	"log"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/rules"
)

// The public lexdays example: 30 days after July 31, 2025, served by mail, under the FRCP.
func ExampleEngine_ComputePeriod() {
	e, err := rules.NewEngine()
	if err != nil {
		log.Fatal(err)
	}
	from, _ := calendar.ParseWhen("2025-07-31")
	d, err := e.ComputePeriod(rules.PeriodRequest{
		RuleSet: "frcp", From: from, Days: 30, Direction: "after", ServiceMethod: "mail",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("due", d.Due, "under", d.Citation)
	for _, step := range d.Trace {
		fmt.Println(" ", step)
	}
	// Output:
	// due 2025-09-05 under Fed. R. Civ. P. 6(a)(1); Fed. R. Civ. P. 6(d)
	//   30 days after 2025-07-31 is Sat 2025-08-30
	//   Saturday → Mon 2025-09-01 is Labor Day → Tue 2025-09-02 (Fed. R. Civ. P. 6(a)(1)(C))
	//   +3 days for service by mail (Fed. R. Civ. P. 6(d)) → Fri 2025-09-05
}

// A California motion heard on Wednesday, November 26, 2025, served by mail: CCP 1005(b)
// counts court days back from the hearing, and mail adds five calendar days of notice.
func ExampleEngine_ComputeTrigger() {
	e, err := rules.NewEngine()
	if err != nil {
		log.Fatal(err)
	}
	hearing, _ := calendar.ParseWhen("2025-11-26")
	ds, err := e.ComputeTrigger(rules.TriggerRequest{
		RuleSet: "ca-civ", Trigger: "motion.hearing.set", At: hearing, ServiceMethod: "mail",
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, d := range ds {
		fmt.Printf("%s %s (%s)\n", d.Due, d.Title, d.Citation)
	}
	fmt.Println(ds[0].Trace[1])
	// Output:
	// 2025-10-29 Moving and supporting papers to be served and filed (Cal. Civ. Proc. Code § 1005(b))
	// 2025-11-13 Opposition papers to be filed and served (Cal. Civ. Proc. Code § 1005(b))
	// 2025-11-19 Reply papers to be filed and served (Cal. Civ. Proc. Code § 1005(b))
	// 5 calendar days earlier for service by mail within California (Cal. Civ. Proc. Code § 1005(b), counted backward under Cal. Civ. Proc. Code § 12c(b)) → Wed 2025-10-29
}

// Bad input names the request field it concerns, for the HTTP layer's problem documents.
func ExampleInputError() {
	e, err := rules.NewEngine()
	if err != nil {
		log.Fatal(err)
	}
	from, _ := calendar.ParseWhen("2041-03-01")
	_, err = e.ComputePeriod(rules.PeriodRequest{RuleSet: "frcp", From: from, Days: 30, Direction: "after"})
	if ie, ok := err.(*rules.InputError); ok {
		fmt.Println(ie.Field)
		fmt.Println(ie.Message)
	}
	// Output:
	// from
	// the computation reaches 2041-03-01, outside 2000–2040, the years the federal holiday table covers; the engine refuses rather than guess which days are holidays
}
