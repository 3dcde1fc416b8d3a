package events

import (
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// ServerConfig configures the embedded NATS server `docket serve` runs when no NATS URL is
// given.
type ServerConfig struct {
	// StoreDir holds JetStream's files. Required: without it a restart would lose everything.
	StoreDir string
	// Listen is where other services connect ("127.0.0.1:4222"); empty for in-process only.
	Listen string
	// Name is the server's name; each JetStream node needs its own.
	Name string
	// SyncAlways fsyncs every write before acknowledging it. Without it JetStream syncs every
	// two minutes, and a power failure (not a process crash) can lose acknowledged events.
	SyncAlways bool
	// SyncInterval is how often JetStream fsyncs when SyncAlways is off ("2m" by default).
	SyncInterval string
}

// RunServer starts an embedded NATS server with JetStream and waits until it accepts
// connections.
func RunServer(cfg ServerConfig) (*server.Server, error) {
	if cfg.StoreDir == "" {
		return nil, fmt.Errorf("embedded nats: a store directory is required")
	}
	opts := &server.Options{
		ServerName: cfg.Name,
		JetStream:  true,
		StoreDir:   cfg.StoreDir,
		NoSigs:     true,
		NoLog:      true,
		SyncAlways: cfg.SyncAlways,
		MaxPayload: MaxBodyBytes + 64<<10,
	}
	if d, err := time.ParseDuration(cfg.SyncInterval); err == nil && !cfg.SyncAlways {
		opts.SyncInterval = d
	}
	if opts.ServerName == "" {
		opts.ServerName = "docket"
	}
	if cfg.Listen == "" {
		opts.DontListen = true
	} else {
		host, port, err := net.SplitHostPort(cfg.Listen)
		if err != nil {
			return nil, fmt.Errorf("embedded nats: listen %q: %w", cfg.Listen, err)
		}
		opts.Host = host
		if opts.Port, err = strconv.Atoi(port); err != nil {
			return nil, fmt.Errorf("embedded nats: listen %q: bad port", cfg.Listen)
		}
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	go s.Start()
	if !s.ReadyForConnections(30 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after 30s")
	}
	return s, nil
}
