package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/docket/docket/api"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/rules"
)

// runDeadlines is `docket deadlines compute`: the calculator of POST /v1/deadlines/compute
// on the command line, with no server.
func runDeadlines(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "compute" {
		fmt.Fprintln(stderr, "usage: docket deadlines compute --ruleset frcp (--from DATE --days N --direction after|before | --trigger KIND --at DATE) [--service METHOD]")
		return fmt.Errorf("unknown deadlines command")
	}
	var req api.ComputeRequest
	var from, at, closures, rulesDir string
	var asJSON bool
	flags := flag.NewFlagSet("docket deadlines compute", flag.ContinueOnError)
	flags.SetOutput(stderr)
	flags.StringVar(&req.RuleSet, "ruleset", "frcp", "rule set id (frcp, ca-civ, or one of --rules-dir)")
	flags.StringVar(&req.Trigger, "trigger", "", "trigger kind, e.g. complaint.served: compute all its deadlines")
	flags.StringVar(&at, "at", "", "when the trigger happened (YYYY-MM-DD or RFC 3339)")
	flags.StringVar(&from, "from", "", "start of a bare period (YYYY-MM-DD or RFC 3339)")
	flags.IntVar(&req.Days, "days", 0, "period in calendar days")
	flags.IntVar(&req.CourtDays, "court-days", 0, "period in court days")
	flags.IntVar(&req.Hours, "hours", 0, "period in hours")
	flags.StringVar(&req.Direction, "direction", "after", "after or before the event")
	flags.StringVar(&req.ServiceMethod, "service", "", "service method: personal, mail, electronic, leaving_with_clerk, other_consented, …")
	flags.StringVar(&closures, "closures", "", "comma-separated days the clerk's office was closed")
	flags.StringVar(&rulesDir, "rules-dir", "", "directory of extra rule sets")
	flags.BoolVar(&asJSON, "json", false, "print JSON as the API does")
	withEnvUsage(flags)
	if err := parseWithEnv(flags, args[1:]); err != nil {
		return err
	}
	for _, p := range []struct {
		name, v string
		dst     **calendar.When
	}{{"--at", at, &req.At}, {"--from", from, &req.From}} {
		if p.v == "" {
			continue
		}
		w, err := calendar.ParseWhen(p.v)
		if err != nil {
			return fmt.Errorf("%s: %v", p.name, err)
		}
		*p.dst = &w
	}
	for _, c := range strings.Split(closures, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		d, err := calendar.ParseDate(c)
		if err != nil {
			return fmt.Errorf("--closures: %v", err)
		}
		req.Closures = append(req.Closures, d)
	}
	if req.From == nil {
		req.Direction = ""
	}
	var extra []fs.FS
	if rulesDir != "" {
		extra = append(extra, os.DirFS(rulesDir))
	}
	engine, err := rules.NewEngine(extra...)
	if err != nil {
		return err
	}
	ds, err := api.Compute(engine, req)
	if err != nil {
		return err
	}
	if asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"deadlines": ds})
	}
	for i, d := range ds {
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		title := d.Title
		if title == "" {
			title = "Due"
		}
		fmt.Fprintf(stdout, "%s: %s\n  %s\n", title, due(d.Due), d.Citation)
		if !d.Extendable {
			fmt.Fprintln(stdout, "  not extendable by the court")
		}
		for _, step := range d.Trace {
			fmt.Fprintf(stdout, "  - %s\n", step)
		}
	}
	return nil
}

func due(w calendar.When) string {
	if w.AllDay() {
		return w.Date.Weekday().String()[:3] + " " + w.Date.String()
	}
	return w.Time.Format("Mon 2006-01-02 15:04 MST")
}
