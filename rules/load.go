package rules

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/docket/docket/calendar"
	"gopkg.in/yaml.v3"
)

// The file forms of the rule set types: the same fields, plus what must be told apart from
// absent. A rule without `extendable` is refused rather than read as false.
type ruleSetFile struct {
	RuleSet  `yaml:",inline"`
	Triggers []triggerFile `yaml:"triggers"`
}

type triggerFile struct {
	Trigger `yaml:",inline"`
	Rules   []ruleFile `yaml:"rules"`
}

type ruleFile struct {
	Rule       `yaml:",inline"`
	Extendable *bool `yaml:"extendable"`
}

// Limits on periods. Nothing in the rules runs this long; a larger number is a typo.
const (
	maxDays      = 3650
	maxCourtDays = 2600
	maxHours     = 10000
	maxAddition  = 60
)

var (
	idPattern   = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$`)
	// partyRoles are the roles a party may have on a case (DESIGN.md §3, party.added).
	partyRoles = []string{"attorney", "paralegal", "client", "witness", "opposing_counsel",
		"judge", "interpreter", "expert", "other"}
)

// loadRuleSets reads every *.yaml and *.yml file under fsys (in lexical order) as one rule
// set each; source names the file system in errors and in RuleSet.Source.
func loadRuleSets(fsys fs.FS, source string) ([]RuleSet, error) {
	var out []RuleSet
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("read %s: %w", path.Join(source, p), err)
		}
		if d.IsDir() || (path.Ext(p) != ".yaml" && path.Ext(p) != ".yml") {
			return nil
		}
		name := path.Join(source, p)
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return fmt.Errorf("read %s: %w", name, err)
		}
		rs, err := parseRuleSet(b)
		if err != nil {
			return fmt.Errorf("rule set %s: %w", name, err)
		}
		rs.Source = name
		out = append(out, rs)
		return nil
	})
	return out, err
}

// parseRuleSet decodes one rule set strictly (unknown fields are errors) and validates it.
func parseRuleSet(b []byte) (RuleSet, error) {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	var f ruleSetFile
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return RuleSet{}, errors.New("the file is empty")
		}
		return RuleSet{}, fmt.Errorf("not a valid rule set: %v", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	v := validator{}
	rs := v.ruleSet(f)
	return rs, v.err
}

// validator records the first problem found, with the path of the field it concerns.
type validator struct{ err error }

func (v *validator) fail(field, format string, args ...any) {
	if v.err == nil {
		v.err = fmt.Errorf("%s: %s", field, fmt.Sprintf(format, args...))
	}
}

func (v *validator) ruleSet(f ruleSetFile) RuleSet {
	rs := f.RuleSet
	if !idPattern.MatchString(rs.ID) {
		v.fail("id", "%q must be lowercase letters, digits, '-' or '_'", rs.ID)
	}
	if rs.Name == "" {
		v.fail("name", "is required")
	}
	if cal, ok := calendar.HolidayCalendars()[rs.Holidays]; ok {
		rs.HolidayYears[0], rs.HolidayYears[1] = cal.Years()
	} else {
		v.fail("holidays", "%q is not one of federal, california", rs.Holidays)
	}
	if _, ok := countingMethods[rs.Counting]; !ok {
		v.fail("counting", "%q is not one of %s", rs.Counting, strings.Join(CountingMethods(), ", "))
	}
	if len(rs.ServiceMethods) == 0 {
		v.fail("service_methods", "at least one is required")
	}
	for i, m := range rs.ServiceMethods {
		field := fmt.Sprintf("service_methods[%d]", i)
		switch {
		case !idPattern.MatchString(m.ID):
			v.fail(field+".id", "%q must be lowercase letters, digits, '-' or '_'", m.ID)
		case slices.ContainsFunc(rs.ServiceMethods[:i], func(o ServiceMethod) bool { return o.ID == m.ID }):
			v.fail(field+".id", "%q is defined twice", m.ID)
		case m.Label == "":
			v.fail(field+".label", "is required")
		}
		if m.Addition != nil {
			v.addition(field+".addition", *m.Addition)
		}
	}
	if len(f.Triggers) == 0 {
		v.fail("triggers", "at least one is required")
	}
	for i, tf := range f.Triggers {
		t := tf.Trigger
		field := fmt.Sprintf("triggers[%d]", i)
		switch {
		case !kindPattern.MatchString(t.Kind):
			v.fail(field+".kind", "%q must look like noun.verb (lowercase, dot-separated)", t.Kind)
		case slices.ContainsFunc(f.Triggers[:i], func(o triggerFile) bool { return o.Kind == t.Kind }):
			v.fail(field+".kind", "%q is defined twice", t.Kind)
		case t.Title == "":
			v.fail(field+".title", "is required")
		case len(tf.Rules) == 0:
			v.fail(field+".rules", "at least one is required")
		}
		for j, rf := range tf.Rules {
			t.Rules = append(t.Rules, v.rule(fmt.Sprintf("%s.rules[%d]", field, j), rs, rf, tf.Rules[:j]))
		}
		rs.Triggers = append(rs.Triggers, t)
	}
	return rs
}

func (v *validator) rule(field string, rs RuleSet, rf ruleFile, earlier []ruleFile) Rule {
	r := rf.Rule
	counting := rs.Counting
	if r.Counting != "" {
		counting = r.Counting
	}
	method, known := countingMethods[counting]
	switch {
	case !idPattern.MatchString(r.ID):
		v.fail(field+".id", "%q must be lowercase letters, digits, '-' or '_'", r.ID)
	case slices.ContainsFunc(earlier, func(o ruleFile) bool { return o.ID == r.ID }):
		v.fail(field+".id", "%q is defined twice in this trigger", r.ID)
	case r.Title == "":
		v.fail(field+".title", "is required")
	case r.Citation == "":
		v.fail(field+".citation", "is required")
	case rf.Extendable == nil:
		v.fail(field+".extendable", "is required: say whether a court may extend the time")
	case !known:
		v.fail(field+".counting", "%q is not one of %s", r.Counting, strings.Join(CountingMethods(), ", "))
	case r.Direction != After && r.Direction != Before:
		v.fail(field+".direction", "%q is not one of after, before", r.Direction)
	}
	if msg := checkPeriod(r.N, r.Unit); msg != "" {
		v.fail(field+"."+periodField(r), "%s", msg)
	}
	if known && r.Unit == UnitHours && !method.hours {
		v.fail(field+".unit", "%s counting has no periods in hours", counting)
	}
	if len(r.ResponsibleRoles) == 0 {
		v.fail(field+".responsible_roles", "at least one is required")
	}
	for _, role := range r.ResponsibleRoles {
		if !slices.Contains(partyRoles, role) {
			v.fail(field+".responsible_roles", "%q is not one of %s", role, strings.Join(partyRoles, ", "))
		}
	}
	switch r.Service {
	case ServiceNone:
		if len(r.Additions) > 0 {
			v.fail(field+".additions", "only a rule with service: listed has additions")
		}
	case ServiceDefault, ServiceListed:
		if known && r.Direction == Before && !method.additionsBefore {
			v.fail(field+".service", "%s counting adds no time for service to a period counted before an event; use none", counting)
		}
		if r.Service == ServiceDefault && len(r.Additions) > 0 {
			v.fail(field+".additions", "only a rule with service: listed has additions")
		}
		if r.Service == ServiceListed && len(r.Additions) == 0 {
			v.fail(field+".additions", "service: listed needs at least one addition")
		}
		for id, a := range r.Additions {
			if _, ok := rs.ServiceMethod(id); !ok {
				v.fail(field+".additions."+id, "%q is not a service method of this rule set", id)
			}
			v.addition(field+".additions."+id, a)
		}
		if r.Unit == UnitHours {
			v.fail(field+".service", "time for service is added in days, not to periods in hours; use none")
		}
	default:
		v.fail(field+".service", "%q is not one of default, none, listed", r.Service)
	}
	if rf.Extendable != nil {
		r.Extendable = *rf.Extendable
	}
	return r
}

func (v *validator) addition(field string, a Addition) {
	switch {
	case a.Unit != UnitDays && a.Unit != UnitCourtDays:
		v.fail(field+".unit", "%q is not one of days, court_days", a.Unit)
	case a.N < 1 || a.N > maxAddition:
		v.fail(field+".n", "%d is not between 1 and %d", a.N, maxAddition)
	case a.Citation == "":
		v.fail(field+".citation", "is required")
	}
}

// checkPeriod returns what is wrong with a period of n units, or "".
func checkPeriod(n int, unit string) string {
	limit := map[string]int{UnitDays: maxDays, UnitCourtDays: maxCourtDays, UnitHours: maxHours}[unit]
	switch {
	case limit == 0:
		return fmt.Sprintf("unit %q is not one of days, court_days, hours", unit)
	case n < 1:
		return fmt.Sprintf("%d is not a period: give a positive number (direction says after or before)", n)
	case n > limit:
		return fmt.Sprintf("%d %s is more than the %d this engine accepts", n, strings.ReplaceAll(unit, "_", " "), limit)
	}
	return ""
}

// periodField names the field a bad period is reported on.
func periodField(r Rule) string {
	if r.Unit != UnitDays && r.Unit != UnitCourtDays && r.Unit != UnitHours {
		return "unit"
	}
	return "n"
}
