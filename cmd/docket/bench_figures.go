package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
)

// benchFeed compares serving a 1,000-entry feed with serving the same bytes as a static file.
func benchFeed(ctx context.Context, ns *server.Server, c benchConfig, w io.Writer) error {
	in, err := newInstance(ctx, ns)
	if err != nil {
		return err
	}
	defer in.stop()
	post := func(path, body string) ([]byte, error) {
		res, err := http.Post(in.srv.URL+path, "application/json", strings.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != 201 {
			return nil, fmt.Errorf("POST %s: %d %s", path, res.StatusCode, b)
		}
		return b, nil
	}
	if _, err := post("/v1/cases", `{"case_id":"feed-bench","docket_number":"1:26-cv-1000","title":"Thousand v. Entries","court":{"id":"bench-feed","name":"S.D.N.Y.","time_zone":"America/New_York"}}`); err != nil {
		return err
	}
	start := time.Date(2027, 1, 4, 9, 0, 0, 0, time.FixedZone("EST", -5*3600))
	for batch := 0; batch < c.FeedEntries; batch += 500 {
		var evs []string
		for i := batch; i < min(batch+500, c.FeedEntries); i++ {
			t := start.Add(time.Duration(i) * 7 * time.Hour)
			evs = append(evs, fmt.Sprintf(`{"type":"hearing.scheduled","data":{"hearing_id":"h-%d","title":"Hearing %d: motion, response; reply","start":%q,"end":%q,"location":{"courtroom":"Courtroom 11A"},"judge":"Hon. A. Judge"}}`,
				i, i, t.Format(time.RFC3339), t.Add(time.Hour).Format(time.RFC3339)))
		}
		if _, err := post("/v1/cases/feed-bench/events", `{"events":[`+strings.Join(evs, ",")+`]}`); err != nil {
			return err
		}
	}
	b, err := post("/v1/feeds", `{"scope":"case","id":"feed-bench"}`)
	if err != nil {
		return err
	}
	u := string(b[bytes.Index(b, []byte(`"url":"`))+7:])
	feedURL := in.srv.URL + u[strings.Index(u, "/feeds/"):strings.Index(u, `"`)]
	res, err := http.Get(feedURL)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	etag := res.Header.Get("ETag")
	file := filepath.Join(os.TempDir(), "docket-bench-feed.ics")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		return err
	}
	defer os.Remove(file)
	// The baseline server is built the same way as the instance's: httptest on loopback.
	static := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.ServeFile(w, r, file) }))
	defer static.Close()
	staticSrv := static.URL

	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.Clients, DisableCompression: true}}
	get := func(url string, header ...string) func(int) error {
		return func(int) error {
			req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
			if len(header) == 2 {
				req.Header.Set(header[0], header[1])
			}
			res, err := client.Do(req)
			if err != nil {
				return err
			}
			n, _ := io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != 200 && res.StatusCode != 304 || res.StatusCode == 200 && n != int64(len(body)) {
				return fmt.Errorf("GET %s: %d, %d bytes", url, res.StatusCode, n)
			}
			return nil
		}
	}
	base, err := throughput(c.Clients, c.Duration, get(staticSrv+"/docket.ics"))
	if err != nil {
		return err
	}
	feed, err := throughput(c.Clients, c.Duration, get(feedURL))
	if err != nil {
		return err
	}
	cond, err := throughput(c.Clients, c.Duration, get(feedURL, "If-None-Match", etag))
	if err != nil {
		return err
	}
	res, err = client.Do(func() *http.Request {
		r, _ := http.NewRequest("GET", feedURL, nil)
		r.Header.Set("If-None-Match", etag)
		return r
	}())
	if err != nil {
		return err
	}
	res.Body.Close()
	name := fmt.Sprintf("feed GET, %d entries (%d KiB)", c.FeedEntries, len(body)/1024)
	printRatio(w, name, feed, "req/s", "same bytes as a static file", base, "req/s", "≥ 0.5")
	fmt.Fprintf(w, "%-44s %12.0f req/s   (status %d)\n\n", "  unchanged feed, If-None-Match", cond, res.StatusCode)
	return nil
}

// benchRebuild loads events over many cases, then compares rebuilding the projections from
// the stream with a raw ordered-consumer replay of the same stream.
func benchRebuild(ctx context.Context, ns *server.Server, c benchConfig, w io.Writer) error {
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		return err
	}
	defer nc.Close()
	store, err := events.OpenStore(ctx, nc, events.StoreConfig{})
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(8192))
	if err != nil {
		return err
	}
	loadStart := time.Now()
	for i := range c.Events {
		caseID := "rb-" + strconv.Itoa(i%c.Cases)
		m := nats.NewMsg(events.CaseSubject(caseID))
		m.Data = rebuildEvent(caseID, i/c.Cases)
		if _, err := js.PublishMsgAsync(m); err != nil {
			return err
		}
		if i%4096 == 4095 || i == c.Events-1 {
			select {
			case <-js.PublishAsyncComplete():
			case <-time.After(time.Minute):
				return fmt.Errorf("loading events stalled at %d", i)
			}
		}
	}
	last, err := store.LastSeq(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "loaded %d events over %d cases in %s (stream now %d events)\n", c.Events, c.Cases, time.Since(loadStart).Round(time.Millisecond), last)

	// Baseline: an ordered consumer reading every message, doing nothing with it.
	rawStart := time.Now()
	cons, err := js.OrderedConsumer(ctx, events.StreamName, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(4096))
	if err != nil {
		return err
	}
	for {
		m, err := it.Next()
		if err != nil {
			return err
		}
		if md, _ := m.Metadata(); md != nil && md.Sequence.Stream >= last {
			break
		}
	}
	it.Stop()
	raw := time.Since(rawStart)

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	// The same folds as docket serve: cases, feeds and the reminder plan.
	cases, feeds := projections.NewCases(), projections.NewFeeds()
	runner := projections.NewRunner(store, cases, feeds, notify.NewPlanner(cases))
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	start := time.Now()
	go func() { defer close(done); _ = runner.Run(rctx) }()
	wctx, wcancel := context.WithTimeout(ctx, 30*time.Minute)
	err = runner.WaitFor(wctx, last)
	wcancel()
	rebuilt := time.Since(start)
	cancel()
	<-done
	if err != nil {
		return err
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	perEvent := float64(after.HeapInuse-min(before.HeapInuse, after.HeapInuse)) / float64(last)
	runtime.KeepAlive(cases)
	printRatio(w, fmt.Sprintf("projection rebuild, %d events", last), float64(last)/rebuilt.Seconds(), "events/s",
		"raw ordered-consumer replay", float64(last)/raw.Seconds(), "msgs/s", "≥ 0.5")
	fmt.Fprintf(w, "%-44s %12.0f bytes/event (%d cases, heap %d MiB)\n\n", "  resident memory", perEvent, cases.Len(), after.HeapInuse>>20)
	return nil
}

// rebuildEvent returns the n-th event of a bench case: opened, then parties, hearings and
// filings in turn, so the folds do real work.
func rebuildEvent(caseID string, n int) []byte {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Hour)
	var typ, data string
	switch {
	case n == 0:
		typ, data = events.CaseOpened, `{"docket_number":"1:26-cv-`+caseID+`","title":"Rebuild v. Bench","court":{"id":"bench","name":"D. Bench","time_zone":"America/Chicago"},"ruleset":"frcp"}`
	case n%3 == 1:
		typ, data = events.PartyAdded, fmt.Sprintf(`{"party_id":"p-%d","name":"Party %d","role":"attorney","email":"p%d@firm.example"}`, n, n, n)
	case n%3 == 2:
		typ, data = events.HearingScheduled, fmt.Sprintf(`{"hearing_id":"h-%d","title":"Hearing %d","start":%q,"end":%q,"location":{"courtroom":"4"}}`,
			n, n, at.Format(time.RFC3339), at.Add(time.Hour).Format(time.RFC3339))
	default:
		typ, data = events.FilingDue, fmt.Sprintf(`{"filing_id":"f-%d","title":"Filing %d","due":%q}`, n, n, at.Format(time.DateOnly))
	}
	return []byte(fmt.Sprintf(`{"specversion":"1.0","id":"%s-%d","source":"docket/bench","type":%q,"subject":%q,"time":%q,"datacontenttype":"application/json","data":%s}`,
		caseID, n, typ, caseID, at.Format(time.RFC3339), data))
}
