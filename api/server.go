package api

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
)

// Server is Docket's HTTP API.
type Server struct {
	svc       *Service
	cases     *projections.Cases
	runner    *projections.Runner
	store     *events.Store
	reminders *notify.Planner
	keys      *Keys
	mux       *http.ServeMux

	// ReadWait bounds how long a read with ?min_seq= waits for this instance to catch up.
	ReadWait time.Duration
	// MaxWindow caps the span of a calendar request.
	MaxWindow time.Duration
	// PublicURL is the base of feed URLs and links ("https://docket.example"); empty means
	// the scheme and host each request came in on.
	PublicURL string

	feedCache feedCache
	metrics   *metrics
}

// NewServer returns the HTTP API over the service and the reminder plan; keys may be nil
// (open, loopback only).
func NewServer(svc *Service, reminders *notify.Planner, keys *Keys) *Server {
	if svc == nil || reminders == nil {
		panic("api: NewServer with a nil dependency")
	}
	s := &Server{svc: svc, cases: svc.cases, runner: svc.runner, store: svc.store, reminders: reminders, keys: keys, mux: http.NewServeMux(),
		ReadWait: 5 * time.Second, MaxWindow: 3 * 366 * 24 * time.Hour,
		feedCache: feedCache{byID: map[string]*renderedFeed{}, limit: 10000}}
	s.metrics = newMetrics(s)
	s.routes()
	return s
}

// handler is an HTTP handler that returns an error to be written as a problem document.
type handler func(w http.ResponseWriter, r *http.Request, actor string) error

func (s *Server) handle(pattern, scope string, h handler) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		actor, err := s.keys.authorize(r, scope)
		if err == nil {
			err = h(w, r, actor)
		}
		if err != nil {
			writeError(w, r, err)
		}
	})
}

func (s *Server) routes() {
	s.handle("POST /v1/cases", ScopeWrite, s.postCase)
	s.handle("GET /v1/cases", ScopeRead, s.listCases)
	s.handle("GET /v1/cases/{case_id}", ScopeRead, s.getCase)
	s.handle("POST /v1/cases/{case_id}/events", ScopeWrite, s.postEvents)
	s.handle("GET /v1/cases/{case_id}/events", ScopeRead, s.getEvents)
	s.handle("GET /v1/cases/{case_id}/calendar", ScopeRead, s.getCalendar)
	s.handle("GET /v1/cases/{case_id}/deadlines", ScopeRead, s.getDeadlines)
	s.handle("POST /v1/deadlines/compute", ScopeRead, s.postCompute)
	s.handle("GET /v1/rulesets", ScopeRead, s.listRuleSets)
	s.handle("GET /v1/rulesets/{ruleset_id}", ScopeRead, s.getRuleSet)
	s.handle("GET /v1/reminders", ScopeRead, s.getReminders)
	s.handle("POST /v1/feeds", ScopeWrite, s.postFeed)
	s.handle("DELETE /v1/feeds/{feed_id}", ScopeWrite, s.deleteFeed)
	s.handle("GET /v1/parties/{party_id}/agenda", ScopeRead, s.getAgenda)
	// Feeds carry their own unguessable token: calendar clients cannot send API keys.
	s.mux.HandleFunc("GET /feeds/{file}", s.getFeed)
	s.mux.Handle("GET /metrics", s.metrics.handler())
	s.mux.HandleFunc("GET /openapi.yaml", serveOpenAPI)
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, r, docket.Errorf(docket.ENOTFOUND, "no such endpoint: %s %s", r.Method, r.URL.Path))
	})
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.ContentLength > events.MaxBodyBytes {
		writeError(w, r, &docket.Error{Code: docket.ETOOLARGE, Field: "body", Message: "the body is larger than 1 MiB"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, events.MaxBodyBytes)
	w.Header().Set("Docket-Seq", strconv.FormatUint(s.runner.Applied(), 10))
	start, rec := time.Now(), &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	_, route := s.mux.Handler(r)
	s.mux.ServeHTTP(rec, r)
	s.metrics.observe(route, rec.status, start)
}

// readBody reads the request body, mapping an oversize body to ETOOLARGE.
func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return nil, &docket.Error{Code: docket.ETOOLARGE, Field: "body", Message: "the body is larger than 1 MiB"}
	} else if err != nil {
		return nil, docket.Invalid("body", "could not read the body: %v", err)
	}
	if len(b) == 0 {
		return nil, docket.Invalid("body", "a JSON body is required")
	}
	return b, nil
}

// minSeq waits for the replay at start and for ?min_seq=, so a client reads, on any
// instance, what it wrote on another.
func (s *Server) minSeq(r *http.Request) error {
	var seq uint64
	if v := r.URL.Query().Get("min_seq"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return docket.Invalid("min_seq", "%q is not a sequence number", v)
		}
		seq = n
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.ReadWait)
	defer cancel()
	return s.runner.WaitFor(ctx, seq)
}

// parseIfMatch reads If-Match as a version: 12 or "12" (an ETag).
func parseIfMatch(r *http.Request) (*uint64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return nil, nil
	}
	n, err := strconv.ParseUint(strings.Trim(strings.TrimPrefix(v, "W/"), `"`), 10, 64)
	if err != nil {
		return nil, docket.Invalid("If-Match", "%q is not a case version (e.g. 12 or \"12\")", v)
	}
	return &n, nil
}
