// Package natstest runs real NATS servers with JetStream for tests: one in-process server, or
// a three-node cluster on loopback.
package natstest

import (
	"testing"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/docket/docket/events"
)

// Server starts a JetStream server on a random loopback port with its store in a temporary
// directory, and shuts it down when the test ends.
func Server(t testing.TB) *server.Server {
	t.Helper()
	return ServerIn(t, t.TempDir())
}

// ServerIn is Server with the store in dir, so a test can restart on the same data.
func ServerIn(t testing.TB, dir string) *server.Server {
	t.Helper()
	s, err := events.RunServer(events.ServerConfig{StoreDir: dir, Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Shutdown(); s.WaitForShutdown() })
	return s
}

// Connect connects to s and closes the connection when the test ends.
func Connect(t testing.TB, s *server.Server) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	return nc
}

// Store starts a server and opens the event store on it.
func Store(t testing.TB) (*events.Store, *nats.Conn) {
	t.Helper()
	nc := Connect(t, Server(t))
	st, err := events.OpenStore(t.Context(), nc, events.StoreConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return st, nc
}
