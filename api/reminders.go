package api

import (
	"net/http"
	"slices"
	"strings"

	"github.com/docket/docket"
	"github.com/docket/docket/notify"
)

// getReminders lists planned, sent, failed and undeliverable reminders of a case or a party.
func (s *Server) getReminders(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	q := r.URL.Query()
	caseID, partyID, status := q.Get("case_id"), q.Get("party_id"), q.Get("status")
	if caseID == "" && partyID == "" {
		return docket.Invalid("case_id", "name a case_id or a party_id")
	}
	if status != "" && !slices.Contains(notify.Statuses, status) {
		return docket.Invalid("status", "%q is not one of %s", status, strings.Join(notify.Statuses, ", "))
	}
	out := s.reminders.Planned(caseID, partyID, status)
	if out == nil {
		out = []notify.Reminder{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"reminders": out})
	return nil
}
