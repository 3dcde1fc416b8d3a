package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestDeadlinesCompute(t *testing.T) {
	var out, errOut bytes.Buffer
	err := run(t.Context(), strings.Fields("deadlines compute --ruleset frcp --from 2025-07-31 --days 30 --direction after --service mail"), &out, &errOut)
	if err != nil {
		t.Fatalf("%v\n%s", err, errOut.String())
	}
	for _, want := range []string{"Fri 2025-09-05", "Labor Day", "Fed. R. Civ. P. 6(d)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	out.Reset()
	if err := run(t.Context(), strings.Fields("deadlines compute --ruleset frcp --trigger judgment.entered --at 2026-03-02 --json"), &out, &errOut); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"citation": "Fed. R. App. P. 4(a)(1)(A)"`) {
		t.Errorf("JSON lacks the notice of appeal:\n%s", out.String())
	}
	for _, bad := range []string{
		"deadlines compute --ruleset frcp --from 2025-02-30 --days 3",
		"deadlines compute --ruleset frcp --from 2025-07-31 --days -3",
		"deadlines compute --ruleset nope --from 2025-07-31 --days 3",
		"deadlines recompute",
	} {
		if err := run(t.Context(), strings.Fields(bad), &out, &errOut); err == nil {
			t.Errorf("%q succeeded", bad)
		}
	}
}
