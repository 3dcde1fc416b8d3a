package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/docket/docket/api"
	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
	"github.com/docket/docket/rules"
)

// Config is everything `docket serve` can be told, each a flag with an env twin.
type Config struct {
	DataDir      string
	HTTPAddr     string
	PublicURL    string
	NATSURL      string
	NATSCreds    string
	NATSNKey     string
	NATSTLSCA    string
	NATSTLSCert  string
	NATSTLSKey   string
	NATSListen   string
	NATSReplicas int
	NATSSync     string
	APIKeys      string
	APIKeysFile  string
	RulesDir     string
	Channels     ChannelConfig
	ReminderTick time.Duration
	AgendaCron   string
}

// Main is the running service: `docket serve`, and the same wiring in end-to-end tests.
type Main struct {
	Config Config
	// Logger receives the service's log; defaults to text on stderr.
	Logger *slog.Logger

	ns      *server.Server
	nc      *nats.Conn
	http    *http.Server
	ln      net.Listener
	runner  *projections.Runner
	cancel  context.CancelFunc
	stopped chan struct{}
	closers []func()
}

// NewMain returns a Main with the defaults of a first run on a laptop.
func NewMain() *Main {
	return &Main{
		Config: Config{DataDir: "docket-data", HTTPAddr: "127.0.0.1:8080", NATSListen: "127.0.0.1:4222", NATSReplicas: 1, NATSSync: "always",
			ReminderTick: notify.DefaultTick, AgendaCron: notify.DefaultAgendaSpec},
		Logger: slog.New(slog.NewTextHandler(os.Stderr, nil)),
	}
}

// ParseFlags reads the serve flags and their env twins.
func (m *Main) ParseFlags(args []string, stderr io.Writer) error {
	c := &m.Config
	fs := flag.NewFlagSet("docket serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.DataDir, "data", c.DataDir, "data directory (embedded NATS store, outbox)")
	fs.StringVar(&c.HTTPAddr, "http-addr", c.HTTPAddr, "HTTP listen address")
	fs.StringVar(&c.PublicURL, "public-url", c.PublicURL, "public base URL for links and feed URLs (default http://<http-addr>)")
	fs.StringVar(&c.NATSURL, "nats-url", c.NATSURL, "comma-separated URLs of an existing NATS cluster (default: run an embedded server)")
	fs.StringVar(&c.NATSCreds, "nats-creds", c.NATSCreds, "NATS credentials file")
	fs.StringVar(&c.NATSNKey, "nats-nkey", c.NATSNKey, "NATS NKey seed file")
	fs.StringVar(&c.NATSTLSCA, "nats-tls-ca", c.NATSTLSCA, "CA certificate file for NATS TLS")
	fs.StringVar(&c.NATSTLSCert, "nats-tls-cert", c.NATSTLSCert, "client certificate file for NATS TLS")
	fs.StringVar(&c.NATSTLSKey, "nats-tls-key", c.NATSTLSKey, "client key file for NATS TLS")
	fs.StringVar(&c.NATSListen, "nats-listen", c.NATSListen, `where the embedded NATS server accepts other services ("none": in-process only)`)
	fs.IntVar(&c.NATSReplicas, "nats-replicas", c.NATSReplicas, "replicas of the stream and buckets (3 in production)")
	fs.StringVar(&c.NATSSync, "nats-sync", c.NATSSync, `embedded server fsync: "always" (every write, survives power loss) or an interval such as 2m`)
	fs.StringVar(&c.APIKeys, "api-keys", c.APIKeys, `API keys: "<key> <read|write|admin> [name]" entries separated by ";"`)
	fs.StringVar(&c.APIKeysFile, "api-keys-file", c.APIKeysFile, "file of API keys, one \"<key> <scope> [name]\" per line")
	fs.StringVar(&c.RulesDir, "rules-dir", c.RulesDir, "directory of extra rule sets (*.yaml) besides the built-in frcp and ca-civ")
	fs.DurationVar(&c.ReminderTick, "reminder-tick", c.ReminderTick, "how often the reminder worker sweeps (at least 1s)")
	fs.StringVar(&c.AgendaCron, "agenda-cron", c.AgendaCron, "cron spec of the daily agenda, in each attorney's time zone")
	c.Channels.flags(fs)
	withEnvUsage(fs)
	return parseWithEnv(fs, args)
}

// Run starts everything and returns once the service accepts requests.
func (m *Main) Run(ctx context.Context) error {
	c := m.Config
	keys, err := m.loadKeys()
	if err != nil {
		return err
	}
	if keys.Len() == 0 {
		if !loopback(c.HTTPAddr) {
			return fmt.Errorf("refusing to serve %s without API keys: set DOCKET_API_KEYS or DOCKET_API_KEYS_FILE, or bind to 127.0.0.1", c.HTTPAddr)
		}
		m.Logger.Warn("no API keys configured: the API is open to anyone on this machine (loopback only)", "addr", c.HTTPAddr)
	}
	if c.NATSReplicas < 1 || c.NATSReplicas > 5 {
		return fmt.Errorf("--nats-replicas must be 1 to 5")
	}
	if err := m.connect(); err != nil {
		return err
	}
	store, err := events.OpenStore(ctx, m.nc, events.StoreConfig{Replicas: c.NATSReplicas})
	if err != nil {
		return err
	}
	cases, feeds := projections.NewCases(), projections.NewFeeds()
	planner := notify.NewPlanner(cases)
	m.runner = projections.NewRunner(store, cases, feeds, planner)
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m.cancel = cancel
	m.stopped = make(chan struct{})
	go func() {
		defer close(m.stopped)
		if err := m.runner.Run(runCtx); err != nil && !errors.Is(err, context.Canceled) {
			m.Logger.Error("projections stopped", "err", err)
		}
	}()

	engine, err := m.rulesEngine()
	if err != nil {
		return err
	}
	svc := api.NewService(store, cases, feeds, m.runner, engine)
	srv := api.NewServer(svc, planner, keys)
	srv.PublicURL = c.PublicURL
	micro, err := api.StartMicro(m.nc, svc)
	if err != nil {
		return err
	}
	m.closers = append(m.closers, func() { _ = micro.Stop() })

	channels, err := c.Channels.channels(c.DataDir)
	if err != nil {
		return err
	}
	worker, err := notify.NewWorker(notify.WorkerConfig{
		Planner: planner, Channels: channels, JetStream: store.JetStream(), WaitFor: m.runner.WaitFor,
		Record: func(ctx context.Context, caseID, typ string, data any, key string) error {
			_, err := svc.Record(ctx, caseID, typ, data, key)
			return err
		},
		Tick: c.ReminderTick, AgendaSpec: c.AgendaCron, Replicas: c.NATSReplicas, Logger: m.Logger,
	})
	if err != nil {
		return err
	}
	if err := worker.Start(runCtx); err != nil {
		return err
	}
	// The worker stops before the projections: outcomes it records wait on them.
	m.closers = append(m.closers, worker.Stop)
	m.Logger.Info("reminders", append([]any{"tick", c.ReminderTick}, c.Channels.where(c.DataDir)...)...)

	m.ln, err = net.Listen("tcp", c.HTTPAddr)
	if err != nil {
		return fmt.Errorf("http: %w", err)
	}
	m.http = &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := m.http.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.Logger.Error("http stopped", "err", err)
		}
	}()
	m.Logger.Info("docket serving", "http", "http://"+m.ln.Addr().String(), "nats", m.natsWhere(), "data", c.DataDir)
	return nil
}

// HTTPAddr returns the address the API listens on (useful with port 0).
func (m *Main) HTTPAddr() string { return m.ln.Addr().String() }

// Close drains in order: stop taking requests, let in-flight ones finish, stop the
// projections, drain NATS, stop the embedded server.
func (m *Main) Close() error {
	if m.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = m.http.Shutdown(ctx)
		cancel()
	}
	for _, f := range m.closers {
		f()
	}
	if m.cancel != nil {
		m.cancel()
		<-m.stopped
	}
	if m.nc != nil {
		_ = m.nc.Drain()
		for m.nc.IsDraining() {
			time.Sleep(10 * time.Millisecond)
		}
	}
	if m.ns != nil {
		m.ns.Shutdown()
		m.ns.WaitForShutdown()
	}
	return nil
}

// rulesEngine loads the built-in rule sets and those of --rules-dir.
func (m *Main) rulesEngine() (*rules.Engine, error) {
	if m.Config.RulesDir == "" {
		return rules.NewEngine()
	}
	return rules.NewEngine(os.DirFS(m.Config.RulesDir))
}

func (m *Main) loadKeys() (*api.Keys, error) {
	keys, err := api.ParseKeyList(m.Config.APIKeys)
	if err != nil {
		return nil, err
	}
	if f := m.Config.APIKeysFile; f != "" {
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("api keys: %w", err)
		}
		defer fh.Close()
		more, err := api.ParseKeys(fh, f)
		if err != nil {
			return nil, err
		}
		keys.Merge(more)
	}
	return keys, nil
}

// connect starts the embedded server or connects to the configured cluster.
func (m *Main) connect() error {
	c := m.Config
	if c.NATSURL == "" {
		sync := c.NATSSync == "always"
		if !sync {
			if _, err := time.ParseDuration(c.NATSSync); err != nil {
				return fmt.Errorf(`--nats-sync must be "always" or a duration: %q`, c.NATSSync)
			}
		}
		listen := c.NATSListen
		if listen == "none" {
			listen = ""
		}
		ns, err := events.RunServer(events.ServerConfig{StoreDir: filepath.Join(c.DataDir, "nats"), Listen: listen, SyncAlways: sync, SyncInterval: c.NATSSync})
		if err != nil {
			return err
		}
		m.ns = ns
		m.nc, err = nats.Connect("", nats.InProcessServer(ns), nats.Name("docket"), nats.MaxReconnects(-1))
		return err
	}
	opts := []nats.Option{nats.Name("docket"), nats.MaxReconnects(-1), nats.RetryOnFailedConnect(true)}
	if c.NATSCreds != "" {
		opts = append(opts, nats.UserCredentials(c.NATSCreds))
	}
	if c.NATSNKey != "" {
		opt, err := nats.NkeyOptionFromSeed(c.NATSNKey)
		if err != nil {
			return fmt.Errorf("nats nkey: %w", err)
		}
		opts = append(opts, opt)
	}
	if c.NATSTLSCA != "" {
		opts = append(opts, nats.RootCAs(c.NATSTLSCA))
	}
	if c.NATSTLSCert != "" || c.NATSTLSKey != "" {
		opts = append(opts, nats.ClientCert(c.NATSTLSCert, c.NATSTLSKey))
	}
	nc, err := nats.Connect(c.NATSURL, opts...)
	if err != nil {
		return fmt.Errorf("nats %s: %w", c.NATSURL, err)
	}
	m.nc = nc
	return nil
}

func (m *Main) natsWhere() string {
	switch {
	case m.Config.NATSURL != "":
		return m.Config.NATSURL
	case m.ns != nil && m.Config.NATSListen != "none":
		return m.ns.ClientURL() + " (embedded)"
	}
	return "in-process (embedded)"
}

// loopback reports whether addr binds only to the loopback interface.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
