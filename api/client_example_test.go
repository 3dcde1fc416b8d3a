package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docket/docket"
	"github.com/docket/docket/api"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// A practice-management system opens a case, schedules a hearing and reads the calendar back.
func ExampleClient() {
	base, stop := exampleServer()
	defer stop()
	ctx := context.Background()
	c := api.NewClient(base, "")

	opened, _ := c.OpenCase(ctx, "c-42", events.CaseOpenedData{DocketNumber: "3:26-cv-00042", Title: "Roe v. Example Co.",
		Court: events.Court{ID: "cand", Name: "N.D. Cal.", TimeZone: "America/Los_Angeles"}}, "open-c-42")
	hearing, _ := json.Marshal(events.HearingScheduledData{HearingID: "h-1", Title: "Motion to dismiss",
		Start: mustTime("2026-12-03T09:00:00-08:00"), End: mustTime("2026-12-03T10:00:00-08:00")})
	res, _ := c.Append(ctx, "c-42", &opened.Version, "hearing-1", api.Draft{Type: events.HearingScheduled, Data: hearing})
	fmt.Println("version", opened.Version, "then", res.Version)

	from, _ := calendar.ParseWhen("2026-12-01")
	to, _ := calendar.ParseWhen("2026-12-31")
	entries, _ := c.Calendar(ctx, "c-42", from, to)
	for _, e := range entries {
		fmt.Println(e.Start, e.Title, e.UID)
	}

	// A stale version is a conflict carrying the current one.
	_, err := c.Append(ctx, "c-42", &opened.Version, "", api.Draft{Type: events.CaseClosed, Data: json.RawMessage(`{}`)})
	var de *docket.Error
	if errors.As(err, &de) {
		fmt.Println(de.Code, de.Version)
	}
	// Output:
	// version 1 then 2
	// 2026-12-03T09:00:00-08:00 Motion to dismiss c-42.hearing.h-1@docket
	// conflict 2
}

// exampleServer runs a whole Docket instance on a temporary embedded NATS server.
func exampleServer() (string, func()) {
	dir, _ := os.MkdirTemp("", "docket-example-")
	ns, err := events.RunServer(events.ServerConfig{StoreDir: dir})
	if err != nil {
		panic(err)
	}
	nc, _ := nats.Connect("", nats.InProcessServer(ns))
	store, err := events.OpenStore(context.Background(), nc, events.StoreConfig{})
	if err != nil {
		panic(err)
	}
	engine, _ := rules.NewEngine()
	cases, feeds := projections.NewCases(), projections.NewFeeds()
	planner := notify.NewPlanner(cases)
	runner := projections.NewRunner(store, cases, feeds, planner)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = runner.Run(ctx) }()
	srv := httptest.NewServer(api.NewServer(api.NewService(store, cases, feeds, runner, engine), planner, nil))
	return srv.URL, func() { srv.Close(); cancel(); nc.Close(); ns.Shutdown(); os.RemoveAll(dir) }
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}
