// Command docket is Docket's one binary: `docket serve` runs the service, `docket deadlines`
// the calculator, `docket bench` the benchmarks.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "docket:", err)
		os.Exit(1)
	}
}

const usage = `docket — court deadlines and calendars

Usage:
  docket serve [flags]       run the service (embedded NATS unless --nats-url)
  docket deadlines compute   compute a deadline or a trigger's deadlines
  docket bench [flags]       measure against raw baselines

Every flag has an environment twin: --http-addr is DOCKET_HTTP_ADDR, and so on.
Run "docket <command> -h" for a command's flags.
`

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("a command is required")
	}
	switch args[0] {
	case "serve":
		m := NewMain()
		if err := m.ParseFlags(args[1:], stderr); err != nil {
			return err
		}
		if err := m.Run(ctx); err != nil {
			m.Close()
			return err
		}
		<-ctx.Done()
		return m.Close()
	case "bench":
		return runBench(ctx, args[1:], stdout, stderr)
	case "deadlines":
		return runDeadlines(args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", args[0])
}

// parseWithEnv parses args into fs after filling every flag not given on the command line from
// its environment twin: --nats-url from DOCKET_NATS_URL.
func parseWithEnv(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	var err error
	fs.VisitAll(func(f *flag.Flag) {
		if v, ok := os.LookupEnv(envName(f.Name)); ok && !set[f.Name] && err == nil {
			if e := f.Value.Set(v); e != nil {
				err = fmt.Errorf("%s=%q: %w", envName(f.Name), v, e)
			}
		}
	})
	return err
}

// envName returns the environment twin of a flag.
func envName(flagName string) string {
	return "DOCKET_" + strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
}

// withEnvUsage adds each flag's environment twin to its usage text.
func withEnvUsage(fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) { f.Usage += " (env " + envName(f.Name) + ")" })
}
