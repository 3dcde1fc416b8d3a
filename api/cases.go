package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// openCaseBody is the body of POST /v1/cases: the case.opened fields and an optional id.
type openCaseBody struct {
	CaseID string `json:"case_id,omitempty"`
	events.CaseOpenedData
}

func (s *Server) postCase(w http.ResponseWriter, r *http.Request, actor string) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var body openCaseBody
	if err := events.DecodeStrict(b, "", &body); err != nil {
		return err
	}
	if body.CaseID != "" && !events.ValidID(body.CaseID) {
		return docket.Invalid("/case_id", "%q is not a valid case id (letters, digits, _ and -, up to 64)", body.CaseID)
	}
	data, err := json.Marshal(body.CaseOpenedData)
	if err != nil {
		return err
	}
	res, err := s.svc.OpenCase(r.Context(), body.CaseID, data, r.Header.Get("Idempotency-Key"), actor)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/v1/cases/"+res.CaseID)
	s.writeResult(w, res)
	return nil
}

// appendBody is the body of POST /v1/cases/{id}/events: one event or a list.
type appendBody struct {
	Type   string          `json:"type,omitempty"`
	Data   json.RawMessage `json:"data,omitempty"`
	Events []Draft         `json:"events,omitempty"`
}

func (s *Server) postEvents(w http.ResponseWriter, r *http.Request, actor string) error {
	ifMatch, err := parseIfMatch(r)
	if err != nil {
		return err
	}
	b, err := readBody(r)
	if err != nil {
		return err
	}
	req, err := appendRequest(b, r.PathValue("case_id"))
	if err != nil {
		return err
	}
	req.IfMatch, req.Key, req.Actor = ifMatch, r.Header.Get("Idempotency-Key"), actor
	res, err := s.svc.Append(r.Context(), req)
	if err != nil {
		return err
	}
	s.writeResult(w, res)
	return nil
}

// appendRequest decodes an append body, shared by HTTP and NATS.
func appendRequest(b []byte, caseID string) (AppendRequest, error) {
	var body appendBody
	if err := events.DecodeStrict(b, "", &body); err != nil {
		return AppendRequest{}, err
	}
	req := AppendRequest{CaseID: caseID}
	switch {
	case body.Events != nil && (body.Type != "" || body.Data != nil):
		return req, docket.Invalid("/events", "send either {type, data} or {events: [...]}, not both")
	case body.Events != nil:
		req.Events = body.Events
	case body.Type == "":
		return req, docket.Invalid("/type", "required (or send {events: [...]})")
	default:
		req.Events, req.Single, req.Pointer = []Draft{{Type: body.Type, Data: body.Data}}, true, "/data"
	}
	return req, nil
}

func (s *Server) writeResult(w http.ResponseWriter, res AppendResult) {
	w.Header().Set("Docket-Seq", strconv.FormatUint(res.Version, 10))
	w.Header().Set("ETag", strconv.Quote(strconv.FormatUint(res.Version, 10)))
	writeJSON(w, http.StatusCreated, res)
}

// caseSummary is one row of GET /v1/cases.
type caseSummary struct {
	CaseID       string       `json:"case_id"`
	DocketNumber string       `json:"docket_number"`
	Title        string       `json:"title"`
	Court        events.Court `json:"court"`
	Status       string       `json:"status"`
	Version      uint64       `json:"version"`
}

func (s *Server) listCases(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	var ids []string
	q := r.URL.Query()
	switch {
	case q.Get("party_id") != "":
		ids = s.cases.PartyCases(q.Get("party_id"))
	case q.Get("court_id") != "":
		ids = s.cases.CourtCases(q.Get("court_id"))
	}
	out := []caseSummary{}
	if ids == nil && (q.Get("party_id") != "" || q.Get("court_id") != "") {
		ids = []string{}
	}
	s.cases.Each(ids, func(c *projections.Case) {
		out = append(out, caseSummary{c.ID, c.DocketNumber, c.Title, c.Court, c.Status, c.Version})
	})
	writeJSON(w, http.StatusOK, map[string]any{"cases": out})
	return nil
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	id := r.PathValue("case_id")
	var body []byte
	var err error
	var version uint64
	if !s.cases.Read(id, func(c *projections.Case) { body, err = json.Marshal(c); version = c.Version }) {
		return docket.Errorf(docket.ENOTFOUND, "case %q does not exist", id)
	}
	if err != nil {
		return err
	}
	w.Header().Set("ETag", strconv.Quote(strconv.FormatUint(version, 10)))
	w.Header().Set("Content-Type", "application/json")
	_, err = w.Write(append(body, '\n'))
	return err
}

// storedEvent is an event as GET /v1/cases/{id}/events shows it: the CloudEvents document
// plus its stream sequence.
type storedEvent struct {
	Seq uint64 `json:"seq"`
	events.Event
}

func (s *Server) getEvents(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	id := r.PathValue("case_id")
	if !events.ValidID(id) {
		return docket.Errorf(docket.ENOTFOUND, "case %q does not exist", id)
	}
	var after uint64
	if v := r.URL.Query().Get("after"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return docket.Invalid("after", "%q is not a sequence number", v)
		}
		after = n
	}
	evs, err := s.store.Read(r.Context(), events.CaseSubject(id), after)
	if err != nil {
		return err
	}
	if len(evs) == 0 && !s.cases.Read(id, func(*projections.Case) {}) {
		return docket.Errorf(docket.ENOTFOUND, "case %q does not exist", id)
	}
	out := make([]storedEvent, len(evs))
	for i, e := range evs {
		out[i] = storedEvent{Seq: e.Seq, Event: e}
	}
	writeJSON(w, http.StatusOK, map[string]any{"case_id": id, "events": out})
	return nil
}

func (s *Server) getCalendar(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	id := r.PathValue("case_id")
	from, to, err := s.window(r)
	if err != nil {
		return err
	}
	var entries []calendar.Entry
	if !s.cases.Read(id, func(c *projections.Case) { entries = c.Entries() }) {
		return docket.Errorf(docket.ENOTFOUND, "case %q does not exist", id)
	}
	out := calendar.Expand(entries, from, to)
	if out == nil {
		out = []calendar.Entry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"case_id": id, "from": from, "to": to, "entries": out})
	return nil
}

// window reads ?from= and ?to= (dates or RFC 3339 times); by default from 30 days ago to a
// year ahead.
func (s *Server) window(r *http.Request) (time.Time, time.Time, error) {
	now := s.svc.Now().UTC()
	from, to := now.AddDate(0, 0, -30), now.AddDate(1, 0, 0)
	for _, p := range []struct {
		name string
		t    *time.Time
	}{{"from", &from}, {"to", &to}} {
		v := r.URL.Query().Get(p.name)
		if v == "" {
			continue
		}
		w, err := calendar.ParseWhen(v)
		if err != nil {
			return time.Time{}, time.Time{}, docket.Invalid(p.name, "%v", err)
		}
		*p.t = w.Instant(time.UTC)
	}
	if !to.After(from) {
		return time.Time{}, time.Time{}, docket.Invalid("to", "must be after from")
	}
	if to.Sub(from) > s.MaxWindow {
		return time.Time{}, time.Time{}, docket.Invalid("to", "the window may span at most %d days", int(s.MaxWindow.Hours()/24))
	}
	return from, to, nil
}

// getAgenda is the JSON twin of a party feed: the same entries, series expanded.
func (s *Server) getAgenda(w http.ResponseWriter, r *http.Request, _ string) error {
	if err := s.minSeq(r); err != nil {
		return err
	}
	from, to, err := s.window(r)
	if err != nil {
		return err
	}
	f := events.FeedIssuedData{Scope: events.ScopeParty, ID: r.PathValue("party_id")}
	if v := r.URL.Query().Get("include_internal"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return docket.Invalid("include_internal", "%q is not true or false", v)
		}
		f.IncludeInternal = &b
	}
	view, ok := s.cases.ViewFeed(f)
	if !ok {
		return docket.Errorf(docket.ENOTFOUND, "no party %q on any case", f.ID)
	}
	out := calendar.Expand(view.Entries, from, to)
	if out == nil {
		out = []calendar.Entry{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"party_id": f.ID, "from": from, "to": to, "entries": out})
	return nil
}
