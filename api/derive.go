package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"slices"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// triggerFields maps the engine's request fields to those of a trigger.recorded payload.
var triggerFields = map[string]string{"trigger": "kind", "at": "at", "service_method": "service_method", "closures": "closures"}

// derive checks what only the rules engine knows (that a rule set exists) and returns the
// events a checked event implies: for trigger.recorded, a deadline.computed for every deadline the case's rule set derives from it, and a deadline.superseded for each
// deadline an earlier recording of the same trigger produced that this one no longer does.
// A court's override survives: the fold keeps it across recomputation.
func (s *Service) derive(c *projections.Case, e events.Event, p any, prefix string) ([]events.Event, error) {
	var ruleset *string
	switch d := p.(type) {
	case *events.CaseOpenedData:
		ruleset = &d.RuleSet
	case *events.CaseUpdatedData:
		ruleset = d.RuleSet
	}
	if ruleset != nil && *ruleset != "" {
		if _, ok := s.rules.RuleSet(*ruleset); !ok {
			return nil, docket.Invalid(prefix+"/ruleset", "no rule set %q (see GET /v1/rulesets)", *ruleset)
		}
	}
	t, ok := p.(*events.TriggerRecordedData)
	if !ok {
		return nil, nil
	}
	if c.RuleSet == "" {
		return nil, docket.Invalid(prefix+"/kind", "case %s has no rule set to compute deadlines with; set one (case.updated ruleset)", c.ID)
	}
	ds, err := s.rules.ComputeTrigger(rules.TriggerRequest{RuleSet: c.RuleSet, Trigger: t.Kind, At: t.At, ServiceMethod: t.ServiceMethod, Closures: t.Closures})
	var in *rules.InputError
	if errors.As(err, &in) {
		if in.Field == "ruleset" {
			return nil, docket.Invalid(prefix+"/kind", "the case's rule set %q: %s", c.RuleSet, in.Message)
		}
		field := triggerFields[in.Field]
		if field == "" {
			field = "kind"
		}
		return nil, docket.Invalid(prefix+"/"+field, "%s", in.Message)
	} else if err != nil {
		return nil, err
	}
	var out []events.Event
	produced := map[string]bool{}
	for _, d := range ds {
		data := events.DeadlineComputedData{
			DeadlineID: DeadlineID(t.TriggerID, d.RuleID), TriggerID: t.TriggerID, RuleID: d.RuleID,
			Citation: d.Citation, Title: d.Title, Due: d.Due, Trace: d.Trace,
			ResponsibleRoles: d.ResponsibleRoles, Extendable: d.Extendable,
		}
		produced[data.DeadlineID] = true
		ev, err := events.New(events.DeadlineComputed, c.ID, s.Source, e.Actor, e.Time, data)
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	var stale []string
	for id, d := range c.Deadlines {
		if d.TriggerID == t.TriggerID && !produced[id] && d.Status != projections.StatusSuperseded {
			stale = append(stale, id)
		}
	}
	slices.Sort(stale)
	for _, id := range stale {
		ev, err := events.New(events.DeadlineSuperseded, c.ID, s.Source, e.Actor, e.Time,
			events.DeadlineSupersededData{DeadlineID: id, Reason: "trigger " + t.TriggerID + " no longer produces it"})
		if err != nil {
			return nil, err
		}
		out = append(out, ev)
	}
	return out, nil
}

// DeadlineID is the stable id of the deadline a rule derives from a trigger: the same on
// every recomputation, so feeds update the entry rather than add one.
func DeadlineID(triggerID, ruleID string) string {
	id := triggerID + "-" + ruleID
	if len(id) <= 64 && events.ValidID(id) {
		return id
	}
	h := sha256.Sum256([]byte(triggerID + "\x00" + ruleID))
	return triggerID[:min(len(triggerID), 47)] + "-" + hex.EncodeToString(h[:8])
}
