package notify_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
	"github.com/docket/docket/projections"
)

// la is the court's zone in every fixture.
var la = mustZone("America/Los_Angeles")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at parses an RFC 3339 time, for tables.
func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// draft is one event to append: a type and its payload as JSON.
type draft struct {
	typ  string
	data string
}

// caseEvents turns drafts into stored events of case id, stamped at when, numbered from seq.
func caseEvents(t testing.TB, id string, when time.Time, seq uint64, ds ...draft) []events.Event {
	t.Helper()
	var out []events.Event
	for i, d := range ds {
		p, err := events.Decode(d.typ, json.RawMessage(d.data), "/data")
		if err != nil {
			t.Fatalf("draft %d %s: %v", i, d.typ, err)
		}
		e, err := events.New(d.typ, id, "test", "tester", when, p)
		if err != nil {
			t.Fatal(err)
		}
		e.Seq = seq + uint64(i)
		out = append(out, e)
	}
	return out
}

// buildCase folds drafts into a fresh case read model.
func buildCase(t testing.TB, when time.Time, ds ...draft) *projections.Case {
	t.Helper()
	c := projections.NewCase("c-1")
	for _, e := range caseEvents(t, "c-1", when, 1, ds...) {
		if err := c.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

// The rich case: an attorney in New York who takes SMS too, a paralegal, a client with quiet
// hours, a witness with only a phone, opposing counsel; a hearing all of them attend, a filing,
// a deadline, and items that must get no reminder.
var (
	openCase = draft{events.CaseOpened, `{"docket_number":"3:26-cv-01234","title":"Doe v. Acme","court":{"id":"cand","name":"N.D. Cal.","time_zone":"America/Los_Angeles"}}`}
	ann      = draft{events.PartyAdded, `{"party_id":"p-ann","name":"Ann Lee","role":"attorney","email":"ann@firm.example","phone":"+14155550101","time_zone":"America/New_York","channels":["email","sms"]}`}
	pat      = draft{events.PartyAdded, `{"party_id":"p-pat","name":"Pat Kim","role":"paralegal","email":"pat@firm.example"}`}
	cli      = draft{events.PartyAdded, `{"party_id":"p-cli","name":"Carl Doe","role":"client","email":"carl@example.com","phone":"+14155550123","quiet_hours":{"start":"21:00","end":"08:00"}}`}
	wit      = draft{events.PartyAdded, `{"party_id":"p-wit","name":"Wes Tan","role":"witness","phone":"+14155550124"}`}
	opp      = draft{events.PartyAdded, `{"party_id":"p-opp","name":"Olga Ray","role":"opposing_counsel","email":"olga@other.example"}`}
	hearing  = draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"Case management conference","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","location":{"courtroom":"4"},"attendees":["p-ann","p-pat","p-cli","p-wit","p-opp"]}`}
	filing   = draft{events.FilingDue, `{"filing_id":"f-1","title":"Joint case management statement","due":"2026-12-10","responsible":["p-pat"]}`}
	deadline = draft{events.DeadlineComputed, `{"deadline_id":"d-1","trigger_id":"t-1","rule_id":"frcp-12a","citation":"Fed. R. Civ. P. 12(a)(1)(A)(i)","title":"Answer due","due":"2026-12-15","trace":["served 2026-11-24"],"responsible_roles":["attorney"]}`}
	// pastHearing is over before the fixtures' now; doneFiling is filed.
	pastHearing = draft{events.HearingScheduled, `{"hearing_id":"h-0","title":"Status conference","start":"2026-11-10T09:00:00-08:00","end":"2026-11-10T09:30:00-08:00","attendees":["p-ann"]}`}
	doneFiling  = draft{events.FilingDue, `{"filing_id":"f-2","title":"Initial disclosures","due":"2026-12-01","responsible":["p-pat"]}`}
	filed       = draft{events.FilingCompleted, `{"filing_id":"f-2","filed_at":"2026-11-05T10:00:00-08:00"}`}
)

// richCase returns the drafts of the rich case.
func richCase() []draft {
	return []draft{openCase, ann, pat, cli, wit, opp, hearing, filing, deadline, pastHearing, doneFiling, filed}
}

// created is when the fixtures' items were put on the calendar; now is when they are planned.
var (
	created = at("2026-11-01T10:00:00-08:00")
	now     = at("2026-11-20T12:00:00-08:00")
)

// lines renders reminders as "item party channel due status", one per reminder, sorted, so a
// table of expectations reads like the plan.
func lines(rs []notify.Reminder) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		item := r.ItemID
		if !r.Occurrence.IsZero() {
			item += "@" + r.Occurrence.In(la).Format("01-02")
		}
		out = append(out, fmt.Sprintf("%s %s %s %s %s", item, r.PartyID, r.Channel, r.DueAt.UTC().Format(time.RFC3339), r.Status))
	}
	slices.Sort(out)
	return out
}

// diffLines reports the lines only in want and only in got.
func diffLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	slices.Sort(want)
	var missing, extra []string
	for _, w := range want {
		if !slices.Contains(got, w) {
			missing = append(missing, w)
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			extra = append(extra, g)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("%s:\nmissing:\n  %s\nunexpected:\n  %s", what, strings.Join(missing, "\n  "), strings.Join(extra, "\n  "))
	}
}

// ids returns the ids of reminders.
func ids(rs []notify.Reminder) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	return out
}
