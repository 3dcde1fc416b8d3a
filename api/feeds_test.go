package api_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/emersion/go-ical"
)

// feedPath turns a feed URL into a path on the test server.
func feedPath(t *testing.T, m map[string]any) string {
	t.Helper()
	u := m["url"].(string)
	i := strings.Index(u, "/feeds/")
	if i < 0 {
		t.Fatalf("feed url %q", u)
	}
	return u[i:]
}

func (e *env) feed(body string) (string, map[string]any) {
	e.t.Helper()
	m := e.mustDo(201, "POST", "/v1/feeds", body)
	return feedPath(e.t, m), m
}

var seqLine = regexp.MustCompile(`(?m)^SEQUENCE:(\d+)\r$`)

func TestCaseFeed(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	path, m := e.feed(`{"scope":"case","id":"c-1"}`)
	if !strings.HasPrefix(m["webcal_url"].(string), "webcal://") ||
		!strings.HasPrefix(m["google_url"].(string), "https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F") {
		t.Fatalf("urls = %v", m)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(path, "/feeds/"), ".ics")
	if len(token) < 22 {
		t.Fatalf("token %q carries fewer than 128 bits", token)
	}

	r := e.do("GET", path, "")
	if r.Status != 200 || r.Header.Get("Content-Type") != "text/calendar; charset=utf-8" {
		t.Fatalf("GET feed = %d %q\n%s", r.Status, r.Header.Get("Content-Type"), r.Body)
	}
	cal, err := ical.NewDecoder(bytes.NewReader(r.Body)).Decode()
	if err != nil {
		t.Fatalf("feed does not decode: %v\n%s", err, r.Body)
	}
	if n := len(cal.Events()); n != 1 {
		t.Fatalf("feed has %d events; want 1", n)
	}
	if uid, _ := cal.Events()[0].Props.Text(ical.PropUID); uid != "c-1.hearing.h-1@docket" {
		t.Fatalf("UID = %q", uid)
	}
	etag, lastMod := r.Header.Get("ETag"), r.Header.Get("Last-Modified")
	if etag == "" || lastMod == "" {
		t.Fatalf("no validators: %v", r.Header)
	}

	// Unchanged: 304 for either validator; HEAD has the headers and no body; gzip on request.
	if r := e.do("GET", path, "", "If-None-Match", etag); r.Status != 304 || len(r.Body) != 0 {
		t.Fatalf("If-None-Match = %d", r.Status)
	}
	if r := e.do("GET", path, "", "If-Modified-Since", lastMod); r.Status != 304 {
		t.Fatalf("If-Modified-Since = %d", r.Status)
	}
	if r := e.do("HEAD", path, ""); r.Status != 200 || len(r.Body) != 0 || r.Header.Get("ETag") != etag {
		t.Fatalf("HEAD = %d, %d bytes, %v", r.Status, len(r.Body), r.Header)
	}
	req, _ := http.NewRequest("GET", e.srv.URL+path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(res.Body)
	if err != nil {
		t.Fatalf("gzip: %v (%v)", err, res.Header)
	}
	unzipped, _ := io.ReadAll(zr)
	res.Body.Close()
	if !bytes.Equal(unzipped, r.Body) {
		t.Fatal("gzipped feed differs from the plain one")
	}

	// A reschedule keeps the UID, raises SEQUENCE and changes the ETag.
	if got := seqLine.FindSubmatch(r.Body); got == nil || string(got[1]) != "0" {
		t.Fatalf("SEQUENCE before = %q", got)
	}
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"type":"hearing.rescheduled","data":{"hearing_id":"h-1","start":"2026-12-04T09:00:00-08:00","end":"2026-12-04T09:30:00-08:00"}}`)
	r2 := e.do("GET", path, "", "If-None-Match", etag)
	if r2.Status != 200 || r2.Header.Get("ETag") == etag {
		t.Fatalf("after reschedule = %d, etag %q", r2.Status, r2.Header.Get("ETag"))
	}
	if got := seqLine.FindSubmatch(r2.Body); got == nil || string(got[1]) != "1" {
		t.Fatalf("SEQUENCE after = %q", got)
	}
	if !bytes.Contains(r2.Body, []byte("UID:c-1.hearing.h-1@docket")) || !bytes.Contains(r2.Body, []byte("DTSTART;TZID=America/Los_Angeles:20261204T090000")) {
		t.Fatalf("rescheduled feed:\n%s", r2.Body)
	}

	// Same events, another instance: byte-identical.
	other := newInstance(t, e.nc, e.store, nil)
	other.mustDo(200, "GET", "/v1/cases/c-1?min_seq="+r2.Header.Get("Docket-Seq"), "")
	if r3 := other.do("GET", path, ""); !bytes.Equal(r3.Body, r2.Body) || r3.Header.Get("ETag") != r2.Header.Get("ETag") {
		t.Fatalf("another instance renders differently:\n%s\n---\n%s", r3.Body, r2.Body)
	}

	// Revoke: gone at once, here and on the other instance, with the same 404 as a token that
	// never existed.
	e.mustDo(204, "DELETE", "/v1/feeds/"+m["feed_id"].(string), "")
	never := "/feeds/" + strings.Repeat("A", len(token)) + ".ics"
	for _, inst := range []*env{e, other} {
		gone, unknown := inst.do("GET", path, ""), inst.do("GET", never, "")
		if gone.Status != 404 || unknown.Status != 404 || !bytes.Equal(gone.Body[:40], unknown.Body[:40]) {
			t.Fatalf("revoked = %d %s; unknown = %d %s", gone.Status, gone.Body, unknown.Status, unknown.Body)
		}
	}
	e.mustDo(204, "DELETE", "/v1/feeds/"+m["feed_id"].(string), "")
}

func TestFeedBadInput(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	for _, tt := range []struct {
		body   string
		status int
		field  string
	}{
		{`{"scope":"planet","id":"c-1"}`, 400, "/scope"},
		{`{"id":"c-1"}`, 400, "/scope"},
		{`{"scope":"case","id":"bad id"}`, 400, "/id"},
		{`{"scope":"case","id":"c-404"}`, 404, ""},
		{`{"scope":"party","id":"p-nobody"}`, 404, ""},
		{`{"scope":"court","id":"nowhere"}`, 404, ""},
		{`{"scope":"case","id":"c-1","colour":"red"}`, 400, "/colour"},
	} {
		r := e.do("POST", "/v1/feeds", tt.body)
		if r.Status != tt.status || !strings.Contains(string(r.Body), `"field":"`+tt.field+`"`) && tt.field != "" {
			t.Errorf("POST /v1/feeds %s = %d %s; want %d naming %q", tt.body, r.Status, r.Body, tt.status, tt.field)
		}
	}
	for _, p := range []string{"/feeds/short.ics", "/feeds/" + strings.Repeat("A", 43), "/feeds/" + strings.Repeat("!", 43) + ".ics", "/feeds/"} {
		if r := e.do("GET", p, ""); r.Status != 404 {
			t.Errorf("GET %s = %d; want 404", p, r.Status)
		}
	}
	if r := e.do("DELETE", "/v1/feeds/f-unknown", ""); r.Status != 404 {
		t.Errorf("DELETE unknown feed = %d", r.Status)
	}
}

// A client's party feed holds only what the client attends or is responsible for, and never
// internal items; the attorney's holds internal items too.
func TestPartyFeedPrivacy(t *testing.T) {
	e := newEnv(t, nil)
	e.seed() // h-1: attended by p-ann (attorney) and p-cli (client)
	e.mustDo(201, "POST", "/v1/cases/c-1/events", `{"events":[
		{"type":"hearing.scheduled","data":{"hearing_id":"h-int","title":"Strategy session","start":"2026-12-05T09:00:00-08:00","end":"2026-12-05T10:00:00-08:00","attendees":["p-ann","p-cli"],"visibility":"internal"}},
		{"type":"hearing.scheduled","data":{"hearing_id":"h-ann","title":"Deposition prep","start":"2026-12-06T09:00:00-08:00","end":"2026-12-06T10:00:00-08:00","attendees":["p-ann"]}},
		{"type":"filing.due","data":{"filing_id":"f-1","title":"Opposition","due":"2026-12-14","responsible":["p-ann"]}}]}`)
	e.mustDo(201, "POST", "/v1/cases", strings.Replace(openBody, "c-1", "c-2", 1))
	e.mustDo(201, "POST", "/v1/cases/c-2/events", `{"events":[
		{"type":"party.added","data":{"party_id":"p-cli","name":"Carl Doe","role":"client"}},
		{"type":"hearing.scheduled","data":{"hearing_id":"h-9","title":"Second case hearing","start":"2026-12-09T09:00:00-08:00","end":"2026-12-09T10:00:00-08:00","attendees":["p-cli"]}}]}`)

	uids := func(body []byte) []string {
		var out []string
		for _, m := range regexp.MustCompile(`(?m)^UID:(\S+)\r$`).FindAllSubmatch(body, -1) {
			out = append(out, string(m[1]))
		}
		return out
	}
	cliPath, _ := e.feed(`{"scope":"party","id":"p-cli"}`)
	cli := uids(e.do("GET", cliPath, "").Body)
	if want := "c-1.hearing.h-1@docket c-2.hearing.h-9@docket"; strings.Join(cli, " ") != want {
		t.Fatalf("client feed UIDs = %v; want %s", cli, want)
	}
	annPath, _ := e.feed(`{"scope":"party","id":"p-ann"}`)
	ann := uids(e.do("GET", annPath, "").Body)
	if want := "c-1.hearing.h-1@docket c-1.hearing.h-int@docket c-1.hearing.h-ann@docket c-1.filing.f-1@docket"; strings.Join(ann, " ") != want {
		t.Fatalf("attorney feed UIDs = %v; want %s", ann, want)
	}
	// The JSON agenda shows the same entries.
	agenda := e.mustDo(200, "GET", "/v1/parties/p-cli/agenda?from=2026-12-01&to=2026-12-31", "")["entries"].([]any)
	if len(agenda) != 2 {
		t.Fatalf("client agenda = %v", agenda)
	}
	// A case feed hides internal items unless asked.
	casePath, _ := e.feed(`{"scope":"case","id":"c-1"}`)
	if got := uids(e.do("GET", casePath, "").Body); len(got) != 3 {
		t.Fatalf("case feed UIDs = %v; want 3 (no internal)", got)
	}
	inclPath, _ := e.feed(`{"scope":"case","id":"c-1","include_internal":true}`)
	if got := uids(e.do("GET", inclPath, "").Body); len(got) != 4 {
		t.Fatalf("case feed with internal UIDs = %v; want 4", got)
	}
	courtPath, _ := e.feed(`{"scope":"court","id":"cand"}`)
	if got := uids(e.do("GET", courtPath, "").Body); len(got) != 4 {
		t.Fatalf("court feed UIDs = %v; want 4 (both cases, no internal)", got)
	}
}
