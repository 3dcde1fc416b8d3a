// Package rules computes court deadlines from trigger events, following the counting rules
// of each rule set (Fed. R. Civ. P. 6, Cal. Civ. Proc. Code §§ 12–12c), with a citation and
// a trace of every step. It does no I/O beyond reading the file systems it is given and
// never reads the clock.
package rules

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/docket/docket/calendar"
)

//go:embed rulesets/*.yaml
var embedded embed.FS

// Engine holds validated rule sets and computes deadlines from them. It is safe for
// concurrent use: nothing in it changes after NewEngine.
type Engine struct {
	sets map[string]RuleSet
}

// NewEngine loads the embedded rule sets and then every *.yaml / *.yml file in each extra
// file system (the CLI passes os.DirFS of a user directory). A file that is not a valid
// rule set, or that reuses the id of one already loaded, is an error naming the file and
// the field.
func NewEngine(extra ...fs.FS) (*Engine, error) {
	sub, err := fs.Sub(embedded, "rulesets")
	if err != nil {
		return nil, err
	}
	all, err := loadRuleSets(sub, "rulesets")
	if err != nil {
		return nil, err
	}
	for i, fsys := range extra {
		if fsys == nil {
			return nil, fmt.Errorf("rule set directory %d is nil", i+1)
		}
		more, err := loadRuleSets(fsys, fmt.Sprintf("extra[%d]", i))
		if err != nil {
			return nil, err
		}
		all = append(all, more...)
	}
	e := &Engine{sets: map[string]RuleSet{}}
	for _, rs := range all {
		if prev, ok := e.sets[rs.ID]; ok {
			return nil, fmt.Errorf("rule set %s: id: %q is already defined by %s", rs.Source, rs.ID, prev.Source)
		}
		e.sets[rs.ID] = rs
	}
	return e, nil
}

// RuleSets returns every rule set, sorted by id; the copies are the caller's to keep.
func (e *Engine) RuleSets() []RuleSet {
	var out []RuleSet
	for _, rs := range e.sets {
		out = append(out, rs.clone())
	}
	slices.SortFunc(out, func(a, b RuleSet) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// RuleSet returns the rule set with the given id.
func (e *Engine) RuleSet(id string) (RuleSet, bool) {
	rs, ok := e.sets[id]
	if !ok {
		return RuleSet{}, false
	}
	return rs.clone(), true
}

// TriggerRequest asks for every deadline a trigger creates.
type TriggerRequest struct {
	RuleSet string `json:"ruleset"`
	// Trigger is the trigger kind, e.g. "complaint.served".
	Trigger string `json:"trigger"`
	// At is when the trigger happened: a date, or a time for rules counted in hours.
	At calendar.When `json:"at"`
	// ServiceMethod is how the triggering paper was served (one of the rule set's service
	// methods); required when any of the trigger's deadlines depends on it.
	ServiceMethod string `json:"service_method,omitempty"`
	// Closures are days the court or clerk's office was closed, beyond the holidays.
	Closures []calendar.Date `json:"closures,omitempty"`
}

// PeriodRequest asks for one bare period: exactly one of Days, CourtDays and Hours is set.
type PeriodRequest struct {
	RuleSet string `json:"ruleset"`
	// From is the event the period runs from (or, before, back from): a date, or a time
	// for periods in hours.
	From      calendar.When `json:"from"`
	Days      int           `json:"days,omitempty"`
	CourtDays int           `json:"court_days,omitempty"`
	Hours     int           `json:"hours,omitempty"`
	// Direction is "after" or "before".
	Direction string `json:"direction"`
	// ServiceMethod, when set, adds the rule set's time for that service to a period that
	// runs from service.
	ServiceMethod string `json:"service_method,omitempty"`
	// Closures are days the court or clerk's office was closed, beyond the holidays.
	Closures []calendar.Date `json:"closures,omitempty"`
}

// Deadline is one computed due date with its derivation.
type Deadline struct {
	// RuleID is the rule that produced it; empty for a bare period.
	RuleID string `json:"rule_id"`
	Title  string `json:"title"`
	// Due is a date, or a time for periods in hours.
	Due calendar.When `json:"due"`
	// Citation is the rule that sets the deadline; Trace is every step of the computation.
	Citation string   `json:"citation"`
	Trace    []string `json:"trace"`
	// ResponsibleRoles are the party roles who must act by Due.
	ResponsibleRoles []string `json:"responsible_roles"`
	// Extendable is false when a court may not extend the time (Fed. R. Civ. P. 6(b)(2)).
	Extendable bool `json:"extendable"`
}

// InputError is a request the engine cannot compute; Field is the request's JSON field it
// concerns, so the HTTP layer can name it in a problem document.
type InputError struct {
	Field   string
	Message string
}

// Error implements the error interface.
func (e *InputError) Error() string { return fmt.Sprintf("%s: %s", e.Field, e.Message) }

func inputError(field, format string, args ...any) *InputError {
	return &InputError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// errNeedsTime is what the counter returns for an hour period that starts at a bare date.
var errNeedsTime = errors.New("a period in hours needs a time, not a date")

// ComputeTrigger returns every deadline the trigger creates, in rule set order.
func (e *Engine) ComputeTrigger(req TriggerRequest) ([]Deadline, error) {
	rs, err := e.lookup(req.RuleSet)
	if err != nil {
		return nil, err
	}
	trig, ok := rs.Trigger(req.Trigger)
	if !ok {
		var kinds []string
		for _, t := range rs.Triggers {
			kinds = append(kinds, t.Kind)
		}
		return nil, inputError("trigger", "%q is not a trigger of %s; known: %s", req.Trigger, rs.ID, strings.Join(kinds, ", "))
	}
	if req.At.IsZero() {
		return nil, inputError("at", "is required: the date (YYYY-MM-DD) or time (RFC 3339) of the %s", trig.Kind)
	}
	method, err := serviceMethod(rs, req.ServiceMethod)
	if err != nil {
		return nil, err
	}
	if method == nil && slices.ContainsFunc(trig.Rules, func(r Rule) bool { return r.Service != ServiceNone }) {
		return nil, inputError("service_method", "is required for %s: the deadlines depend on how the papers were served; one of %s",
			trig.Kind, methodIDs(rs))
	}
	court := calendar.NewCourtDays(calendar.HolidayCalendars()[rs.Holidays], req.Closures...)
	var out []Deadline
	for _, r := range trig.Rules {
		p := period{n: r.N, unit: r.Unit, direction: r.Direction}
		if method != nil {
			switch r.Service {
			case ServiceDefault:
				p.add = method.Addition
			case ServiceListed:
				if a, ok := r.Additions[method.ID]; ok {
					p.add = &a
				}
			case ServiceNone:
				if method.Addition != nil {
					p.note = r.ServiceNote
				}
			}
			p.addLabel = method.Label
		}
		counting := rs.Counting
		if r.Counting != "" {
			counting = r.Counting
		}
		c := &counter{method: countingMethods[counting], court: court}
		due, err := c.count(req.At, p)
		if err != nil {
			return nil, countError(err, "at", court.Holidays())
		}
		out = append(out, Deadline{
			RuleID: r.ID, Title: r.Title, Due: due, Citation: r.Citation, Trace: c.trace,
			ResponsibleRoles: slices.Clone(r.ResponsibleRoles), Extendable: r.Extendable,
		})
	}
	return out, nil
}

// ComputePeriod computes one bare period under a rule set's counting rules. A bare period
// is extendable under the general rule (Fed. R. Civ. P. 6(b)(1)); the rules a court may
// not extend are rules of a rule set.
func (e *Engine) ComputePeriod(req PeriodRequest) (Deadline, error) {
	rs, err := e.lookup(req.RuleSet)
	if err != nil {
		return Deadline{}, err
	}
	if req.From.IsZero() {
		return Deadline{}, inputError("from", "is required: the date (YYYY-MM-DD) or time (RFC 3339) the period runs from")
	}
	p, field, err := bareUnit(req)
	if err != nil {
		return Deadline{}, err
	}
	if msg := checkPeriod(p.n, p.unit); msg != "" {
		return Deadline{}, inputError(field, "%s", msg)
	}
	if req.Direction != After && req.Direction != Before {
		return Deadline{}, inputError("direction", "%q is not one of after, before", req.Direction)
	}
	p.direction = req.Direction
	m := countingMethods[rs.Counting]
	if p.unit == UnitHours && !m.hours {
		return Deadline{}, inputError("hours", "%s counts no periods in hours", rs.ID)
	}
	method, err := serviceMethod(rs, req.ServiceMethod)
	if err != nil {
		return Deadline{}, err
	}
	pins := []string{m.days}
	if p.unit == UnitHours {
		pins = []string{m.hoursPin}
	}
	if p.direction == Before {
		pins = append(pins, m.backward)
	}
	citation := m.cite(pins...)
	if method != nil && method.Addition != nil {
		switch {
		case p.unit == UnitHours:
			return Deadline{}, inputError("service_method", "%s adds days, which have no meaning for a period in hours; leave it out", method.Label)
		case p.direction == Before && !m.additionsBefore:
			p.note = fmt.Sprintf("no time added for %s: %s", method.Label, m.noAdditionNote)
		default:
			p.add, p.addLabel = method.Addition, method.Label
			citation += "; " + method.Addition.Citation
		}
	}
	court := calendar.NewCourtDays(calendar.HolidayCalendars()[rs.Holidays], req.Closures...)
	c := &counter{method: m, court: court}
	due, err := c.count(req.From, p)
	if err != nil {
		return Deadline{}, countError(err, "from", court.Holidays())
	}
	return Deadline{
		Title:    fmt.Sprintf("%s %s %s", plural(p.n, strings.ReplaceAll(strings.TrimSuffix(p.unit, "s"), "_", " ")), p.direction, req.From),
		Due:      due,
		Citation: citation, Trace: c.trace, ResponsibleRoles: []string{}, Extendable: true,
	}, nil
}

func (e *Engine) lookup(id string) (RuleSet, error) {
	if id == "" {
		return RuleSet{}, inputError("ruleset", "is required; one of %s", strings.Join(e.ids(), ", "))
	}
	rs, ok := e.sets[id]
	if !ok {
		return RuleSet{}, inputError("ruleset", "%q is not a rule set; known: %s", id, strings.Join(e.ids(), ", "))
	}
	return rs, nil
}

func (e *Engine) ids() []string {
	var ids []string
	for id := range e.sets {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// bareUnit picks the one unit a period request sets, and the field it came from.
func bareUnit(req PeriodRequest) (period, string, error) {
	var p period
	field := ""
	for _, u := range []struct {
		field, unit string
		n           int
	}{{"days", UnitDays, req.Days}, {"court_days", UnitCourtDays, req.CourtDays}, {"hours", UnitHours, req.Hours}} {
		if u.n == 0 {
			continue
		}
		if field != "" {
			return period{}, "", inputError(u.field, "give exactly one of days, court_days or hours; %s is already set", field)
		}
		field, p.n, p.unit = u.field, u.n, u.unit
	}
	if field == "" {
		return period{}, "", inputError("days", "give one of days, court_days or hours")
	}
	return p, field, nil
}

// serviceMethod returns the rule set's service method id, nil for "", or an InputError.
func serviceMethod(rs RuleSet, id string) (*ServiceMethod, error) {
	if id == "" {
		return nil, nil
	}
	m, ok := rs.ServiceMethod(id)
	if !ok {
		return nil, inputError("service_method", "%q is not a service method of %s; one of %s", id, rs.ID, methodIDs(rs))
	}
	return &m, nil
}

func methodIDs(rs RuleSet) string {
	var ids []string
	for _, m := range rs.ServiceMethods {
		ids = append(ids, m.ID)
	}
	return strings.Join(ids, ", ")
}

// countError turns a counting failure into an InputError on the request's date field.
func countError(err error, field string, cal *calendar.HolidayCalendar) error {
	var cov *calendar.CoverageError
	switch {
	case errors.As(err, &cov):
		return inputError(field, "the computation reaches %s, outside %d–%d, the years the %s holiday table covers; "+
			"the engine refuses rather than guess which days are holidays", cov.Date, cov.First, cov.Last, cal.ID())
	case errors.Is(err, errNeedsTime):
		return inputError(field, "%v (RFC 3339 with offset, in the court's time zone)", err)
	}
	return err
}
