package api

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// feedBody is the body of POST /v1/feeds.
type feedBody struct {
	Scope           string `json:"scope"`
	ID              string `json:"id"`
	IncludeInternal *bool  `json:"include_internal,omitempty"`
}

// feedURLs is the answer to POST /v1/feeds.
type feedURLs struct {
	FeedID    string `json:"feed_id"`
	URL       string `json:"url"`
	WebcalURL string `json:"webcal_url"`
	GoogleURL string `json:"google_url"`
}

func (s *Server) postFeed(w http.ResponseWriter, r *http.Request, actor string) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var body feedBody
	if err := events.DecodeStrict(b, "", &body); err != nil {
		return err
	}
	f, err := s.svc.IssueFeed(r.Context(), body.Scope, body.ID, body.IncludeInternal, actor)
	if err != nil {
		return err
	}
	u := s.publicURL(r) + "/feeds/" + f.Token + ".ics"
	webcal := "webcal://" + u[strings.Index(u, "://")+3:]
	writeJSON(w, http.StatusCreated, feedURLs{
		FeedID: f.FeedID, URL: u, WebcalURL: webcal,
		GoogleURL: "https://calendar.google.com/calendar/r?cid=" + url.QueryEscape(webcal),
	})
	return nil
}

func (s *Server) deleteFeed(w http.ResponseWriter, r *http.Request, actor string) error {
	if err := s.svc.RevokeFeed(r.Context(), r.PathValue("feed_id"), actor); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// publicURL is the configured public base URL, or the one the request came in on.
func (s *Server) publicURL(r *http.Request) string {
	if s.PublicURL != "" {
		return strings.TrimSuffix(s.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// renderedFeed is a feed's bytes for one state of its cases.
type renderedFeed struct {
	key      string
	day      string
	body     []byte
	gzipped  []byte
	etag     string
	modified time.Time
}

// feedCache keeps the last rendering of each feed, so polling an unchanged feed costs a map
// lookup and a hash of case versions.
type feedCache struct {
	mu    sync.Mutex
	byID  map[string]*renderedFeed
	limit int
}

func (c *feedCache) get(id string) *renderedFeed {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.byID[id]
}

func (c *feedCache) put(id string, f *renderedFeed) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.byID) >= c.limit {
		clear(c.byID)
	}
	c.byID[id] = f
}

// notFoundFeed is the one answer to every unknown, revoked or malformed token, so a prober
// learns nothing about which tokens ever existed.
var notFoundFeed = docket.Errorf(docket.ENOTFOUND, "no such feed")

func (s *Server) getFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(r.PathValue("file"), ".ics")
	if !ok || !validToken(token) {
		s.metrics.feeds.WithLabelValues("not_found").Inc()
		writeError(w, r, notFoundFeed)
		return
	}
	if err := s.runner.WaitFor(r.Context(), 0); err != nil {
		writeError(w, r, err)
		return
	}
	f, ok := s.svc.feeds.ByTokenHash(TokenHash(token))
	if !ok {
		s.metrics.feeds.WithLabelValues("not_found").Inc()
		writeError(w, r, notFoundFeed)
		return
	}
	// A revocation takes effect on every instance at once: the stream, not this instance's
	// projection, says whether anything happened to the feed since it was issued.
	if last, err := s.store.LastSeqOf(r.Context(), events.FeedSubject(f.FeedID)); err != nil {
		writeError(w, r, err)
		return
	} else if last != f.Seq {
		writeError(w, r, notFoundFeed)
		return
	}
	rf, err := s.renderFeed(f)
	if err != nil {
		writeError(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/calendar; charset=utf-8")
	h.Set("ETag", rf.etag)
	h.Set("Last-Modified", rf.modified.UTC().Format(http.TimeFormat))
	h.Set("Cache-Control", "private, max-age=300")
	h.Set("Vary", "Accept-Encoding")
	h.Set("Content-Disposition", `inline; filename="docket.ics"`)
	if notModified(r, rf) {
		s.metrics.feeds.WithLabelValues("not_modified").Inc()
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := rf.body
	if acceptsGzip(r) {
		h.Set("Content-Encoding", "gzip")
		body = rf.gzipped
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// renderFeed returns the feed's bytes from the cache, rendering them when its cases changed
// (or the day did, since cancelled entries drop out after 30 days).
func (s *Server) renderFeed(f projections.Feed) (*renderedFeed, error) {
	now := s.svc.Now().UTC()
	day := now.Format(time.DateOnly)
	key, ok := s.cases.FeedKey(f.FeedIssuedData)
	if !ok {
		return nil, notFoundFeed
	}
	if rf := s.feedCache.get(f.FeedID); rf != nil && rf.key == key && rf.day == day {
		s.metrics.feeds.WithLabelValues("cached").Inc()
		return rf, nil
	}
	view, ok := s.cases.ViewFeed(f.FeedIssuedData)
	if !ok {
		return nil, notFoundFeed
	}
	s.metrics.feeds.WithLabelValues("rendered").Inc()
	base := s.PublicURL
	for i := range view.Entries {
		if base != "" {
			view.Entries[i].URL = strings.TrimSuffix(base, "/") + "/v1/cases/" + view.Entries[i].CaseID
		}
	}
	// The reference time is the start of the day, so renderings within a day are identical.
	body, err := calendar.RenderFeed(calendar.Feed{Name: view.Name, Now: now.Truncate(24 * time.Hour), Entries: view.Entries})
	if err != nil {
		return nil, err
	}
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, _ = zw.Write(body)
	_ = zw.Close()
	sum := sha256.Sum256(body)
	rf := &renderedFeed{key: view.Key, day: day, body: body, gzipped: gz.Bytes(),
		etag: `"` + hex.EncodeToString(sum[:16]) + `"`, modified: view.Modified.Truncate(time.Second)}
	if rf.modified.IsZero() {
		rf.modified = time.Unix(0, 0)
	}
	s.feedCache.put(f.FeedID, rf)
	return rf, nil
}

// notModified applies RFC 9110's conditional GET: If-None-Match wins over If-Modified-Since.
func notModified(r *http.Request, rf *renderedFeed) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, tag := range strings.Split(inm, ",") {
			if t := strings.TrimSpace(tag); t == rf.etag || t == "*" || strings.TrimPrefix(t, "W/") == rf.etag {
				return true
			}
		}
		return false
	}
	if ims := r.Header.Get("If-Modified-Since"); ims != "" {
		t, err := http.ParseTime(ims)
		return err == nil && !rf.modified.After(t)
	}
	return false
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, q, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(enc), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}
