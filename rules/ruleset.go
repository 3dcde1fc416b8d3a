package rules

// RuleSet is one body of court rules as data: how it counts, which holidays it observes,
// how papers may be served, and the deadlines each trigger creates.
type RuleSet struct {
	// ID names the rule set on the wire ("frcp", "ca-civ").
	ID string `json:"id" yaml:"id"`
	// Name and Description say what the rule set covers, for people choosing one.
	Name        string `json:"name" yaml:"name"`
	Description string `json:"description,omitempty" yaml:"description"`
	// Holidays is the holiday calendar ("federal", "california"); HolidayYears is the span
	// of years it covers, outside which the engine refuses to compute.
	Holidays     string `json:"holidays" yaml:"holidays"`
	HolidayYears [2]int `json:"holiday_years" yaml:"-"`
	// Counting is how periods are computed: "frcp", "frap" or "ccp" (see CountingMethods).
	Counting string `json:"counting" yaml:"counting"`
	// ServiceMethods are the accepted values of a request's service_method.
	ServiceMethods []ServiceMethod `json:"service_methods" yaml:"service_methods"`
	Triggers       []Trigger       `json:"triggers" yaml:"-"`
	// Source is the file the rule set was loaded from.
	Source string `json:"source" yaml:"-"`
}

// ServiceMethod is one way papers may be served under a rule set, and the time that
// service that way adds to periods that run from it.
type ServiceMethod struct {
	// ID is the wire value ("mail"); Label names the service in traces ("service by mail").
	ID          string `json:"id" yaml:"id"`
	Label       string `json:"label" yaml:"label"`
	Description string `json:"description,omitempty" yaml:"description"`
	// Addition is the time added by default (Fed. R. Civ. P. 6(d), Cal. Civ. Proc. Code
	// § 1013); nil when service this way adds nothing.
	Addition *Addition `json:"addition,omitempty" yaml:"addition"`
}

// Addition is time added to a period because of how papers were served.
type Addition struct {
	// N units ("days" or "court_days"), added under Citation.
	N        int    `json:"n" yaml:"n"`
	Unit     string `json:"unit" yaml:"unit"`
	Citation string `json:"citation" yaml:"citation"`
}

// Trigger is a kind of event ("complaint.served") and the deadlines it creates.
type Trigger struct {
	// Kind is the trigger on the wire; Description says what its `at` must be.
	Kind        string `json:"kind" yaml:"kind"`
	Title       string `json:"title" yaml:"title"`
	Description string `json:"description,omitempty" yaml:"description"`
	Rules       []Rule `json:"rules" yaml:"-"`
}

// Rule is one deadline a trigger creates.
type Rule struct {
	// ID is stable: a case's deadline id is the trigger id plus this.
	ID    string `json:"id" yaml:"id"`
	Title string `json:"title" yaml:"title"`
	// N, Unit ("days", "court_days", "hours") and Direction ("after", "before") give the
	// period counted from the trigger.
	N         int    `json:"n" yaml:"n"`
	Unit      string `json:"unit" yaml:"unit"`
	Direction string `json:"direction" yaml:"direction"`
	// Service says what the service method adds: "default" (the rule set's additions),
	// "none" (the period does not run from service under the rules that add time), or
	// "listed" (only Additions, keyed by service method id).
	Service   string              `json:"service" yaml:"service"`
	Additions map[string]Addition `json:"additions,omitempty" yaml:"additions"`
	// ServiceNote explains, in traces, why service adds nothing when Service is "none".
	ServiceNote string `json:"service_note,omitempty" yaml:"service_note"`
	// Counting overrides the rule set's counting method for this rule (FRAP deadlines in
	// the FRCP set are computed under Fed. R. App. P. 26(a)).
	Counting string `json:"counting,omitempty" yaml:"counting"`
	// Citation is the rule as lawyers write it: "Fed. R. Civ. P. 12(a)(1)(A)(i)".
	Citation         string   `json:"citation" yaml:"citation"`
	ResponsibleRoles []string `json:"responsible_roles" yaml:"responsible_roles"`
	// Extendable is false when a court may not extend the time (Fed. R. Civ. P. 6(b)(2)).
	Extendable bool `json:"extendable" yaml:"-"`
	// Note is what a lawyer should know beside the date: exceptions, who may change it.
	Note string `json:"note,omitempty" yaml:"note"`
}

// Service values of a Rule.
const (
	ServiceDefault = "default"
	ServiceNone    = "none"
	ServiceListed  = "listed"
)

// Units and directions of a period.
const (
	UnitDays      = "days"
	UnitCourtDays = "court_days"
	UnitHours     = "hours"
	After         = "after"
	Before        = "before"
)

// Trigger returns the trigger of the given kind.
func (rs RuleSet) Trigger(kind string) (Trigger, bool) {
	for _, t := range rs.Triggers {
		if t.Kind == kind {
			return t, true
		}
	}
	return Trigger{}, false
}

// ServiceMethod returns the service method with the given id.
func (rs RuleSet) ServiceMethod(id string) (ServiceMethod, bool) {
	for _, m := range rs.ServiceMethods {
		if m.ID == id {
			return m, true
		}
	}
	return ServiceMethod{}, false
}

// clone returns a deep copy, so callers of Engine.RuleSets cannot change the engine's data.
func (rs RuleSet) clone() RuleSet {
	out := rs
	out.ServiceMethods = make([]ServiceMethod, len(rs.ServiceMethods))
	for i, m := range rs.ServiceMethods {
		if m.Addition != nil {
			a := *m.Addition
			m.Addition = &a
		}
		out.ServiceMethods[i] = m
	}
	out.Triggers = make([]Trigger, len(rs.Triggers))
	for i, t := range rs.Triggers {
		rules := make([]Rule, len(t.Rules))
		for j, r := range t.Rules {
			r.ResponsibleRoles = append([]string(nil), r.ResponsibleRoles...)
			if r.Additions != nil {
				adds := make(map[string]Addition, len(r.Additions))
				for k, v := range r.Additions {
					adds[k] = v
				}
				r.Additions = adds
			}
			rules[j] = r
		}
		t.Rules = rules
		out.Triggers[i] = t
	}
	return out
}
