package events_test

import (
	"context"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/docket/docket/events"
	"github.com/docket/docket/internal/natstest"
)

// With three replicas on a three-node cluster, losing the stream's leader loses no
// acknowledged event, and appends go on once a new leader is elected.
func TestClusterFailover(t *testing.T) {
	nodes := natstest.Cluster(t, 3)
	nc, err := nats.Connect(natstest.URLs(nodes), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx := t.Context()
	st, err := events.OpenStore(ctx, nc, events.StoreConfig{Replicas: 3})
	if err != nil {
		t.Fatal(err)
	}
	subj := events.CaseSubject("c-1")
	a, err := st.Append(ctx, subj, 0, "", []events.Event{opened(t, "c-1")})
	if err != nil {
		t.Fatal(err)
	}
	version := a.Version()
	for i := range 20 {
		a, err := st.Append(ctx, subj, version, "", []events.Event{event(t, events.PartyAdded, "c-1", events.PartyData{PartyID: "p" + string(rune('a'+i))})})
		if err != nil {
			t.Fatal(err)
		}
		version = a.Version()
	}

	// Stop the node leading the stream.
	var leader string
	for _, s := range nodes {
		if s.JetStreamIsStreamLeader("$G", events.StreamName) {
			leader = s.Name()
			s.Shutdown()
			s.WaitForShutdown()
		}
	}
	if leader == "" {
		t.Fatal("no stream leader found")
	}
	// Appends resume on the new leader; a retry after a timeout carries the same key.
	natstest.CheckFor(t, 30*time.Second, 200*time.Millisecond, func() error {
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		a, err := st.Append(ctx, subj, version, "after-failover", []events.Event{event(t, events.CaseClosed, "c-1", events.CaseStatusData{Reason: "failover"})})
		if err == nil {
			version = a.Version()
		}
		return err
	})
	var got []events.Event
	natstest.CheckFor(t, 10*time.Second, 100*time.Millisecond, func() error {
		got, err = st.Read(ctx, subj, 0)
		return err
	})
	if len(got) != 22 || got[21].Type != events.CaseClosed {
		t.Fatalf("after losing leader %s: %d events; want 22 ending in case.closed", leader, len(got))
	}
}
