package api

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

func (s *Server) listRuleSets(w http.ResponseWriter, r *http.Request, _ string) error {
	writeJSON(w, http.StatusOK, map[string]any{"rulesets": s.svc.rules.RuleSets()})
	return nil
}

func (s *Server) getRuleSet(w http.ResponseWriter, r *http.Request, _ string) error {
	rs, ok := s.svc.rules.RuleSet(r.PathValue("ruleset_id"))
	if !ok {
		return docket.Errorf(docket.ENOTFOUND, "no rule set %q", r.PathValue("ruleset_id"))
	}
	writeJSON(w, http.StatusOK, rs)
	return nil
}

// ComputeRequest is the body of POST /v1/deadlines/compute (and the CLI's flags): a trigger
// or a bare period.
type ComputeRequest struct {
	RuleSet       string          `json:"ruleset"`
	Trigger       string          `json:"trigger,omitempty"`
	At            *calendar.When  `json:"at,omitempty"`
	From          *calendar.When  `json:"from,omitempty"`
	Days          int             `json:"days,omitempty"`
	CourtDays     int             `json:"court_days,omitempty"`
	Hours         int             `json:"hours,omitempty"`
	Direction     string          `json:"direction,omitempty"`
	ServiceMethod string          `json:"service_method,omitempty"`
	Closures      []calendar.Date `json:"closures,omitempty"`
}

func (s *Server) postCompute(w http.ResponseWriter, r *http.Request, _ string) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var body ComputeRequest
	if err := events.DecodeStrict(b, "", &body); err != nil {
		return err
	}
	ds, err := Compute(s.svc.rules, body)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]any{"deadlines": ds})
	return nil
}

// Compute runs the calculator: every deadline of a trigger, or the one date of a period.
// Engine input errors become EINVALID errors naming the request field.
func Compute(engine *rules.Engine, body ComputeRequest) ([]rules.Deadline, error) {
	var ds []rules.Deadline
	var err error
	switch {
	case body.Trigger != "" && body.From != nil:
		return nil, docket.Invalid("/from", "send a trigger (trigger, at) or a period (from, days|court_days|hours, direction), not both")
	case body.Trigger != "":
		if body.At == nil {
			return nil, docket.Invalid("/at", "required: when the trigger happened (a date or an RFC 3339 time)")
		}
		ds, err = engine.ComputeTrigger(rules.TriggerRequest{RuleSet: body.RuleSet, Trigger: body.Trigger, At: *body.At,
			ServiceMethod: body.ServiceMethod, Closures: body.Closures})
	case body.From != nil:
		var d rules.Deadline
		d, err = engine.ComputePeriod(rules.PeriodRequest{RuleSet: body.RuleSet, From: *body.From, Days: body.Days,
			CourtDays: body.CourtDays, Hours: body.Hours, Direction: body.Direction, ServiceMethod: body.ServiceMethod, Closures: body.Closures})
		ds = []rules.Deadline{d}
	default:
		return nil, docket.Invalid("/trigger", "send a trigger (trigger, at) or a period (from, days|court_days|hours, direction)")
	}
	var in *rules.InputError
	if errors.As(err, &in) {
		return nil, docket.Invalid("/"+in.Field, "%s", in.Message)
	}
	return ds, err
}

// deadlineView is one deadline as GET /v1/cases/{id}/deadlines shows it.
type deadlineView struct {
	*projections.Deadline
	// Effective is the date that counts: the court's override, else the computed one.
	Effective calendar.When `json:"effective_due"`
}

func (s *Server) getDeadlines(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	id := r.PathValue("case_id")
	var body []byte
	var err error
	if !s.cases.Read(id, func(c *projections.Case) {
		out := make([]deadlineView, 0, len(c.Deadlines))
		for _, d := range c.Deadlines {
			out = append(out, deadlineView{Deadline: d, Effective: d.Effective()})
		}
		slices.SortFunc(out, func(a, b deadlineView) int {
			if n := a.Effective.Instant(c.Location()).Compare(b.Effective.Instant(c.Location())); n != 0 {
				return n
			}
			return strings.Compare(a.DeadlineID, b.DeadlineID)
		})
		body, err = json.Marshal(map[string]any{"case_id": id, "ruleset": c.RuleSet, "deadlines": out})
	}) {
		return docket.Errorf(docket.ENOTFOUND, "case %q does not exist", id)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(append(body, '\n'))
	return err
}
