package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/docket/docket/api"
	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// benchConfig sizes `docket bench`; the defaults are DESIGN.md §7's.
type benchConfig struct {
	Clients     int
	Duration    time.Duration
	Events      int
	Cases       int
	FeedEntries int
	Sync        string
	Only        string
}

// runBench measures Docket against raw baselines taken in the same run, on a fresh embedded
// server in a temporary directory, and prints each figure beside its baseline as a ratio.
func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	c := benchConfig{}
	fs := flag.NewFlagSet("docket bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&c.Clients, "clients", 32, "concurrent HTTP clients / raw publishers for the append figure")
	fs.DurationVar(&c.Duration, "duration", 5*time.Second, "how long each throughput figure runs")
	fs.IntVar(&c.Events, "events", 1_000_000, "events in the rebuild figure")
	fs.IntVar(&c.Cases, "cases", 10_000, "cases the rebuild events spread over")
	fs.IntVar(&c.FeedEntries, "feed-entries", 1000, "entries in the feed figure's calendar")
	fs.StringVar(&c.Sync, "nats-sync", "always", `fsync policy of the bench server: "always" or an interval`)
	fs.StringVar(&c.Only, "only", "", "comma-separated figures to run: append, rebuild, feed (default all)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	withEnvUsage(fs)
	if err := parseWithEnv(fs, args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	dir, err := os.MkdirTemp("", "docket-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ns, err := events.RunServer(events.ServerConfig{StoreDir: filepath.Join(dir, "nats"), SyncAlways: c.Sync == "always", SyncInterval: c.Sync})
	if err != nil {
		return err
	}
	defer ns.Shutdown()
	fmt.Fprintf(stdout, "docket bench: %d CPUs, GOMAXPROCS %d, store fsync %s, %s per throughput figure\n\n",
		runtime.NumCPU(), runtime.GOMAXPROCS(0), c.Sync, c.Duration)
	run := func(name string) bool { return c.Only == "" || strings.Contains(","+c.Only+",", ","+name+",") }
	if run("append") {
		if err := benchAppend(ctx, ns, c, stdout); err != nil {
			return fmt.Errorf("append: %w", err)
		}
	}
	if run("feed") {
		if err := benchFeed(ctx, ns, c, stdout); err != nil {
			return fmt.Errorf("feed: %w", err)
		}
	}
	if run("rebuild") {
		if err := benchRebuild(ctx, ns, c, stdout); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
	}
	return nil
}

// instance is a Docket API over an existing server, as `docket serve` wires it.
type instance struct {
	store  *events.Store
	cases  *projections.Cases
	runner *projections.Runner
	srv    *httptest.Server
	stop   func()
}

func newInstance(ctx context.Context, ns *server.Server) (*instance, error) {
	nc, err := nats.Connect("", nats.InProcessServer(ns))
	if err != nil {
		return nil, err
	}
	store, err := events.OpenStore(ctx, nc, events.StoreConfig{})
	if err != nil {
		return nil, err
	}
	engine, err := rules.NewEngine()
	if err != nil {
		return nil, err
	}
	in := &instance{store: store, cases: projections.NewCases()}
	feeds := projections.NewFeeds()
	planner := notify.NewPlanner(in.cases)
	in.runner = projections.NewRunner(store, in.cases, feeds, planner)
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = in.runner.Run(rctx) }()
	in.srv = httptest.NewServer(api.NewServer(api.NewService(store, in.cases, feeds, in.runner, engine), planner, nil))
	in.stop = func() { in.srv.Close(); cancel(); <-done; nc.Close() }
	return in, nil
}

// throughput runs work on n goroutines for d and returns operations per second.
func throughput(n int, d time.Duration, work func(worker int) error) (float64, error) {
	var ops atomic.Int64
	var firstErr error
	var once sync.Once
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range n {
		wg.Go(func() {
			for time.Now().Before(deadline) {
				if err := work(w); err != nil {
					once.Do(func() { firstErr = err })
					return
				}
				ops.Add(1)
			}
		})
	}
	wg.Wait()
	return float64(ops.Load()) / time.Since(start).Seconds(), firstErr
}

// printRatio prints a figure, its baseline from the same run, and their ratio.
func printRatio(w io.Writer, name string, got float64, unit, baseName string, base float64, baseUnit, target string) {
	fmt.Fprintf(w, "%-44s %12.0f %s\n%-44s %12.0f %s\n%-44s %12.2f   (target %s)\n\n",
		name, got, unit, "  baseline: "+baseName, base, baseUnit, "  ratio", got/base, target)
}

func benchAppend(ctx context.Context, ns *server.Server, c benchConfig, w io.Writer) error {
	// Baseline: raw JetStream publishes with expected last subject sequence, one subject per
	// publisher, each publisher on its own connection.
	js := make([]jetstream.JetStream, c.Clients)
	last := make([]uint64, c.Clients)
	for i := range js {
		nc, err := nats.Connect("", nats.InProcessServer(ns))
		if err != nil {
			return err
		}
		defer nc.Close()
		if js[i], err = jetstream.New(nc); err != nil {
			return err
		}
	}
	in, err := newInstance(ctx, ns)
	if err != nil {
		return err
	}
	defer in.stop()
	body := []byte(`{"specversion":"1.0","id":"x","source":"bench","type":"party.added","subject":"raw","time":"2026-11-25T17:00:00Z","datacontenttype":"application/json","data":{"party_id":"p-1","name":"Ann Lee","role":"attorney","email":"ann@firm.example"}}`)
	raw, err := throughput(c.Clients, c.Duration, func(i int) error {
		m := nats.NewMsg(events.CaseSubject("bench-raw-" + strconv.Itoa(i)))
		m.Data = body
		m.Header.Set(jetstream.ExpectedLastSubjSeqHeader, strconv.FormatUint(last[i], 10))
		ack, err := js[i].PublishMsg(ctx, m)
		if err != nil {
			return err
		}
		last[i] = ack.Sequence
		return nil
	})
	if err != nil {
		return err
	}
	// Docket: the same appends through the HTTP API, with If-Match, validation, the case
	// check and the wait for this instance's projections.
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: c.Clients}}
	versions := make([]uint64, c.Clients)
	for i := range c.Clients {
		res, err := client.Post(in.srv.URL+"/v1/cases", "application/json", strings.NewReader(fmt.Sprintf(
			`{"case_id":"bench-%d","docket_number":"1:26-cv-%d","title":"Bench v. Mark","court":{"id":"bench","time_zone":"America/New_York"}}`, i, i)))
		if err != nil {
			return err
		}
		var r api.AppendResult
		err = json.NewDecoder(res.Body).Decode(&r)
		res.Body.Close()
		if err != nil || res.StatusCode != 201 {
			return fmt.Errorf("open bench case: %d %v", res.StatusCode, err)
		}
		versions[i] = r.Version
	}
	n := make([]int, c.Clients)
	viaHTTP, err := throughput(c.Clients, c.Duration, func(i int) error {
		n[i]++
		req, _ := http.NewRequestWithContext(ctx, "POST", in.srv.URL+"/v1/cases/bench-"+strconv.Itoa(i)+"/events", strings.NewReader(
			`{"type":"party.added","data":{"party_id":"p-`+strconv.Itoa(n[i])+`","name":"Ann Lee","role":"attorney","email":"ann@firm.example"}}`))
		req.Header.Set("If-Match", strconv.FormatUint(versions[i], 10))
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		defer res.Body.Close()
		var r api.AppendResult
		if err := json.NewDecoder(res.Body).Decode(&r); err != nil || res.StatusCode != 201 {
			return fmt.Errorf("append: %d %v", res.StatusCode, err)
		}
		versions[i] = r.Version
		return nil
	})
	if err != nil {
		return err
	}
	printRatio(w, fmt.Sprintf("append via HTTP API, %d clients", c.Clients), viaHTTP, "events/s",
		fmt.Sprintf("raw JetStream publish, %d publishers", c.Clients), raw, "msgs/s", "≥ 0.8")
	return nil
}
