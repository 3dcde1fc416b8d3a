package rules

import (
	"strings"
	"testing"
	"testing/fstest"
)

// custom is a small valid rule set a user might keep in their own directory.
const custom = `
id: nd-cal-local
name: N.D. Cal. Civil Local Rules
holidays: federal
counting: frcp
service_methods:
  - id: electronic
    label: electronic service
triggers:
  - kind: motion.filed
    title: Motion filed
    rules:
      - id: opposition
        title: Opposition due
        n: 14
        unit: days
        direction: after
        service: none
        citation: "N.D. Cal. Civ. L.R. 7-3(a)"
        responsible_roles: [attorney]
        extendable: true
`

func TestNewEngineLoadsExtraRuleSets(t *testing.T) {
	e, err := NewEngine(fstest.MapFS{
		"local/nd-cal.yaml": {Data: []byte(custom)},
		"README.md":         {Data: []byte("not a rule set")},
	})
	if err != nil {
		t.Fatal(err)
	}
	rs, ok := e.RuleSet("nd-cal-local")
	if !ok {
		t.Fatal("extra rule set not loaded")
	}
	if rs.Source != "extra[0]/local/nd-cal.yaml" {
		t.Errorf("Source = %q", rs.Source)
	}
	// 14 days after Mon 2025-03-03 is Mon 2025-03-17, an ordinary Monday.
	ds, err := e.ComputeTrigger(TriggerRequest{RuleSet: "nd-cal-local", Trigger: "motion.filed", At: when(t, "2025-03-03")})
	if err != nil || len(ds) != 1 || ds[0].Due.String() != "2025-03-17" {
		t.Errorf("ComputeTrigger on the extra rule set = %+v, %v; want one deadline due 2025-03-17", ds, err)
	}
}

func TestNewEngineRejectsBadRuleSets(t *testing.T) {
	edit := func(old, new string) string {
		if !strings.Contains(custom, old) {
			t.Fatalf("test rule set has no %q", old)
		}
		return strings.Replace(custom, old, new, 1)
	}
	tests := []struct {
		file string
		want string // parts of the error, in order
	}{
		{edit("        extendable: true\n", ""), "triggers[0].rules[0].extendable: is required"},
		{edit("unit: days", "unit: weeks"), `triggers[0].rules[0].unit: unit "weeks" is not one of days, court_days, hours`},
		{edit("n: 14", "n: 0"), "triggers[0].rules[0].n: 0 is not a period"},
		{edit("n: 14", "n: 5000"), "triggers[0].rules[0].n: 5000 days is more than the 3650"},
		{edit("direction: after", "direction: later"), `triggers[0].rules[0].direction: "later" is not one of after, before`},
		{edit("holidays: federal", "holidays: texas"), `holidays: "texas" is not one of federal, california`},
		{edit("counting: frcp", "counting: lunar"), `counting: "lunar" is not one of ccp, frap, frcp`},
		{edit("responsible_roles: [attorney]", "responsible_roles: [lawyer]"), `responsible_roles: "lawyer" is not one of attorney`},
		{edit("citation: \"N.D. Cal. Civ. L.R. 7-3(a)\"", ""), "triggers[0].rules[0].citation: is required"},
		{edit("service: none", "service: always"), `triggers[0].rules[0].service: "always" is not one of default, none, listed`},
		{edit("direction: after\n        service: none", "direction: before\n        service: default"),
			"triggers[0].rules[0].service: frcp counting adds no time for service to a period counted before an event"},
		{edit("service: none", "service: listed\n        additions:\n          mail: {n: 3, unit: days, citation: x}"),
			`triggers[0].rules[0].additions.mail: "mail" is not a service method of this rule set`},
		{edit("unit: days\n        direction: after", "unit: hours\n        direction: after\n        counting: ccp"),
			"triggers[0].rules[0].unit: ccp counting has no periods in hours"},
		{edit("kind: motion.filed", "kind: Motion"), `triggers[0].kind: "Motion" must look like noun.verb`},
		{edit("  - id: electronic\n", "  - id: electronic\n    addition: {n: 3, unit: weeks, citation: x}\n"),
			`service_methods[0].addition.unit: "weeks" is not one of days, court_days`},
		{edit("title: Opposition due", "title: Opposition due\n        colour: red"), "not a valid rule set"},
		{"id: [unclosed", "not a valid rule set"},
		{"", "the file is empty"},
		{edit("id: nd-cal-local", "id: frcp"), `id: "frcp" is already defined by rulesets/frcp.yaml`},
	}
	for _, tt := range tests {
		_, err := NewEngine(fstest.MapFS{"mine/bad.yaml": {Data: []byte(tt.file)}})
		if err == nil {
			t.Errorf("NewEngine accepted a rule set that should fail with %q", tt.want)
			continue
		}
		if !strings.Contains(err.Error(), "extra[0]/mine/bad.yaml") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("NewEngine error = %q; want the file name and %q", err, tt.want)
		}
	}
	if _, err := NewEngine(nil); err == nil {
		t.Error("NewEngine(nil) = nil error")
	}
}

func TestUnknownFieldNamesTheField(t *testing.T) {
	bad := strings.Replace(custom, "title: Opposition due", "title: Opposition due\n        colour: red", 1)
	_, err := NewEngine(fstest.MapFS{"bad.yaml": {Data: []byte(bad)}})
	if err == nil || !strings.Contains(err.Error(), "field colour not found") || !strings.Contains(err.Error(), "line ") {
		t.Errorf("error = %v; want the unknown field and its line", err)
	}
}
