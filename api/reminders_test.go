package api_test

import (
	"strings"
	"testing"
)

func TestRemindersEndpoint(t *testing.T) {
	e := newEnv(t, nil)
	e.seed() // hearing on 2026-12-03 with an attorney (email) and a client (phone); now is 2026-11-25
	all := e.mustDo(200, "GET", "/v1/reminders?case_id=c-1", "")["reminders"].([]any)
	if len(all) == 0 {
		t.Fatal("no reminders planned for the hearing")
	}
	for _, r := range all {
		r := r.(map[string]any)
		if r["status"] != "planned" && r["status"] != "undeliverable" || r["item_id"] != "h-1" {
			t.Errorf("reminder = %v", r)
		}
	}
	// The client has no email address: email reminders are reported undeliverable, not dropped.
	und := e.mustDo(200, "GET", "/v1/reminders?party_id=p-cli&status=undeliverable", "")["reminders"].([]any)
	if len(und) == 0 || und[0].(map[string]any)["channel"] != "email" {
		t.Fatalf("undeliverable = %v", und)
	}
	for _, tt := range []struct{ query, field string }{
		{"", "case_id"},
		{"?case_id=c-1&status=lost", "status"},
	} {
		r := e.do("GET", "/v1/reminders"+tt.query, "")
		if r.Status != 400 || !strings.Contains(string(r.Body), `"field":"`+tt.field+`"`) {
			t.Errorf("GET /v1/reminders%s = %d %s", tt.query, r.Status, r.Body)
		}
	}
}
