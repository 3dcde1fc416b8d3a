package api

import (
	"context"
	"net/http"
	"time"
)

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// readyz answers 200 once the projections have replayed the stream and the store answers.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	lag, err := s.runner.Lag(ctx)
	body := map[string]any{"applied": s.runner.Applied(), "lag": lag, "ready": s.runner.Ready()}
	if err != nil {
		body["error"] = "event store unreachable"
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	if !s.runner.Ready() {
		writeJSON(w, http.StatusServiceUnavailable, body)
		return
	}
	writeJSON(w, http.StatusOK, body)
}
