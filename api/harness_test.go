package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docket/docket/api"
	"github.com/docket/docket/events"
	"github.com/docket/docket/internal/natstest"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// env is one Docket instance over a real embedded JetStream.
type env struct {
	t       *testing.T
	nc      *nats.Conn
	store   *events.Store
	cases   *projections.Cases
	feeds   *projections.Feeds
	planner *notify.Planner
	runner  *projections.Runner
	svc     *api.Service
	api     *api.Server
	srv     *httptest.Server
	now     time.Time
}

func newEnv(t *testing.T, keys *api.Keys) *env {
	t.Helper()
	store, nc := natstest.Store(t)
	return newInstance(t, nc, store, keys)
}

// newInstance starts projections and an API over an existing store: a second instance.
func newInstance(t *testing.T, nc *nats.Conn, store *events.Store, keys *api.Keys) *env {
	t.Helper()
	e := &env{t: t, nc: nc, store: store, cases: projections.NewCases(), now: time.Date(2026, 11, 25, 17, 3, 0, 0, time.UTC)}
	e.feeds = projections.NewFeeds()
	e.planner = notify.NewPlanner(e.cases)
	e.planner.Now = func() time.Time { return e.now }
	e.runner = projections.NewRunner(store, e.cases, e.feeds, e.planner)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = e.runner.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	engine, err := rules.NewEngine()
	if err != nil {
		t.Fatal(err)
	}
	e.svc = api.NewService(store, e.cases, e.feeds, e.runner, engine)
	e.svc.Now = func() time.Time { return e.now }
	e.api = api.NewServer(e.svc, e.planner, keys)
	e.srv = httptest.NewServer(e.api)
	t.Cleanup(e.srv.Close)
	return e
}

type response struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not JSON: %v\n%s", err, r.Body)
	}
	return m
}

func (e *env) do(method, path, body string, headers ...string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, strings.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{res.StatusCode, res.Header, b}
}

func (e *env) mustDo(want int, method, path, body string, headers ...string) map[string]any {
	e.t.Helper()
	r := e.do(method, path, body, headers...)
	if r.Status != want {
		e.t.Fatalf("%s %s = %d; want %d\n%s", method, path, r.Status, want, r.Body)
	}
	if len(bytes.TrimSpace(r.Body)) == 0 {
		return nil
	}
	return r.json(e.t)
}

// lastSeq returns the stream's last sequence: what was appended, whoever appended it.
func (e *env) lastSeq() uint64 {
	e.t.Helper()
	seq, err := e.store.LastSeq(e.t.Context())
	if err != nil {
		e.t.Fatal(err)
	}
	return seq
}

const openBody = `{"case_id":"c-1","docket_number":"3:26-cv-01234","title":"Doe v. Acme","court":{"id":"cand","name":"N.D. Cal.","time_zone":"America/Los_Angeles"}}`

// seed opens case c-1 with an attorney, a client and a hearing.
func (e *env) seed() {
	e.t.Helper()
	e.mustDo(201, "POST", "/v1/cases", openBody)
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"events":[
		{"type":"party.added","data":{"party_id":"p-ann","name":"Ann Lee","role":"attorney","email":"ann@firm.example"}},
		{"type":"party.added","data":{"party_id":"p-cli","name":"Carl Doe","role":"client","phone":"+14155550123"}},
		{"type":"hearing.scheduled","data":{"hearing_id":"h-1","title":"Case management conference","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","location":{"courtroom":"4"},"attendees":["p-ann","p-cli"]}}]}`)
}
