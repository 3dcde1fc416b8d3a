package notify_test

import (
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/docket/docket/events"
	"github.com/docket/docket/notify"
)

func TestPlanRichCase(t *testing.T) {
	c := buildCase(t, created, richCase()...)
	got := notify.Plan(c, now, 0)
	want := []string{
		// The hearing (09:00 PST = 17:00Z): attorney and paralegal 7 days, 1 day and 2 hours
		// before; the attorney also by SMS, which she lists.
		"h-1 p-ann email 2026-11-26T17:00:00Z planned",
		"h-1 p-ann email 2026-12-02T17:00:00Z planned",
		"h-1 p-ann email 2026-12-03T15:00:00Z planned",
		"h-1 p-ann sms 2026-11-26T17:00:00Z planned",
		"h-1 p-ann sms 2026-12-02T17:00:00Z planned",
		"h-1 p-ann sms 2026-12-03T15:00:00Z planned",
		"h-1 p-pat email 2026-11-26T17:00:00Z planned",
		"h-1 p-pat email 2026-12-02T17:00:00Z planned",
		"h-1 p-pat email 2026-12-03T15:00:00Z planned",
		// Client and witness 2 days and 1 day before, by email and SMS; the witness has no
		// email address, which the plan reports rather than drops.
		"h-1 p-cli email 2026-12-01T17:00:00Z planned",
		"h-1 p-cli email 2026-12-02T17:00:00Z planned",
		"h-1 p-cli sms 2026-12-01T17:00:00Z planned",
		"h-1 p-cli sms 2026-12-02T17:00:00Z planned",
		"h-1 p-wit email 2026-12-01T17:00:00Z undeliverable",
		"h-1 p-wit email 2026-12-02T17:00:00Z undeliverable",
		"h-1 p-wit sms 2026-12-01T17:00:00Z planned",
		"h-1 p-wit sms 2026-12-02T17:00:00Z planned",
		// The all-day filing (Dec 10): the responsible paralegal 7, 3 and 1 days before and on
		// the day, at 09:00 in her zone (the court's).
		"f-1 p-pat email 2026-12-03T17:00:00Z planned",
		"f-1 p-pat email 2026-12-07T17:00:00Z planned",
		"f-1 p-pat email 2026-12-09T17:00:00Z planned",
		"f-1 p-pat email 2026-12-10T17:00:00Z planned",
		// The deadline (Dec 15) for the role it names, at 09:00 in the attorney's own zone.
		"d-1 p-ann email 2026-12-08T14:00:00Z planned",
		"d-1 p-ann email 2026-12-12T14:00:00Z planned",
		"d-1 p-ann email 2026-12-14T14:00:00Z planned",
		"d-1 p-ann email 2026-12-15T14:00:00Z planned",
		"d-1 p-ann sms 2026-12-08T14:00:00Z planned",
		"d-1 p-ann sms 2026-12-12T14:00:00Z planned",
		"d-1 p-ann sms 2026-12-14T14:00:00Z planned",
		"d-1 p-ann sms 2026-12-15T14:00:00Z planned",
	}
	diffLines(t, "Plan(rich case)", lines(got), want)

	for _, r := range got {
		if !regexp.MustCompile(`^rem-[0-9a-f]{32}$`).MatchString(r.ID) {
			t.Errorf("id %q is not a Message.ID-safe hash", r.ID)
		}
		if r.Status == notify.StatusUndeliverable && r.Reason == "" {
			t.Errorf("%s is undeliverable without a reason", r.ID)
		}
	}
	if again := notify.Plan(c, now, 0); !slices.Equal(ids(again), ids(got)) {
		t.Error("planning the same case twice gave different ids")
	}
	if !slices.IsSortedFunc(got, func(a, b notify.Reminder) int { return a.DueAt.Compare(b.DueAt) }) {
		t.Error("plan is not sorted by due time")
	}
}

func TestPlanQuietHoursDeferSMS(t *testing.T) {
	// Carl's quiet hours are 21:00–08:00 in the court's zone; Quinn's are 22:00–06:00 in
	// Chicago.
	quinn := draft{events.PartyAdded, `{"party_id":"p-q","name":"Quinn","role":"witness","email":"q@example.com","phone":"+14155550199","time_zone":"America/Chicago","quiet_hours":{"start":"22:00","end":"06:00"}}`}
	early := draft{events.HearingScheduled, `{"hearing_id":"h-2","title":"Early hearing","start":"2026-12-03T07:30:00-08:00","end":"2026-12-03T08:00:00-08:00","attendees":["p-cli","p-q"]}`}
	c := buildCase(t, created, openCase, cli, quinn, early)
	want := []string{
		// 1 day before is 07:30 PST, inside Carl's quiet hours: his SMS waits for 08:00,
		// his email does not.
		"h-2 p-cli email 2026-12-01T15:30:00Z planned",
		"h-2 p-cli email 2026-12-02T15:30:00Z planned",
		"h-2 p-cli sms 2026-12-01T16:00:00Z planned",
		"h-2 p-cli sms 2026-12-02T16:00:00Z planned",
		// 07:30 PST is 09:30 in Chicago, outside Quinn's quiet hours.
		"h-2 p-q email 2026-12-01T15:30:00Z planned",
		"h-2 p-q email 2026-12-02T15:30:00Z planned",
		"h-2 p-q sms 2026-12-01T15:30:00Z planned",
		"h-2 p-q sms 2026-12-02T15:30:00Z planned",
	}
	diffLines(t, "Plan(quiet hours)", lines(notify.Plan(c, now, 0)), want)

	// Two hours before a 07:30 hearing is 05:30, and quiet hours end only at 08:00, after the
	// hearing has begun: the SMS goes the evening before, just before they start.
	policy := draft{events.ReminderPolicySet, `{"rules":[{"items":["hearing"],"roles":["client","witness"],"before":"PT2H","channels":["sms"]}]}`}
	c = buildCase(t, created, openCase, cli, quinn, early, policy)
	want = []string{
		"h-2 p-cli sms 2026-12-03T04:59:00Z planned", // 20:59 PST on Dec 2
		"h-2 p-q sms 2026-12-03T13:30:00Z planned",   // 07:30 CST: quiet hours ended at 06:00
	}
	got := notify.Plan(c, now, 0)
	diffLines(t, "Plan(quiet hours, 2 hours before)", lines(got), want)
	for _, r := range got {
		if r.PartyID == "p-cli" && r.Reason == "" {
			t.Errorf("moved SMS %s gives no reason", r.ID)
		}
	}
}

func TestPlanPolicyOverride(t *testing.T) {
	policy := draft{events.ReminderPolicySet, `{"rules":[
		{"items":["hearing"],"roles":["attorney"],"before":"P2D","at":"08:00","channels":["email"]},
		{"items":["filing","deadline"],"roles":["paralegal"],"before":"P1D","channels":["sms","email"]},
		{"items":["hearing"],"roles":["client"],"before":"PT3H","channels":["sms"]}]}`}
	c := buildCase(t, created, append(richCase(), policy)...)
	want := []string{
		// 08:00 two days before, in the attorney's own zone (New York).
		"h-1 p-ann email 2026-12-01T13:00:00Z planned",
		// The client is reminded only by SMS, 3 hours before (06:00 PST is quiet: 08:00).
		"h-1 p-cli sms 2026-12-03T16:00:00Z planned",
		// The paralegal has no phone: the SMS is undeliverable, the email goes.
		"f-1 p-pat email 2026-12-09T17:00:00Z planned",
		"f-1 p-pat sms 2026-12-09T17:00:00Z undeliverable",
	}
	diffLines(t, "Plan(policy)", lines(notify.Plan(c, now, 0)), want)
}

func TestPlanPartyChannelsRestrict(t *testing.T) {
	// A client who asked for email only gets no SMS; a paralegal who asked for webhooks only
	// gets them instead of the email the defaults would send.
	emailOnly := draft{events.PartyAdded, `{"party_id":"p-cli","name":"Carl Doe","role":"client","email":"carl@example.com","phone":"+14155550123","channels":["email"]}`}
	hookOnly := draft{events.PartyAdded, `{"party_id":"p-pat","name":"Pat Kim","role":"paralegal","email":"pat@firm.example","webhook_url":"https://hooks.example.com/pat","channels":["webhook"]}`}
	h := draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"CMC","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","attendees":["p-cli","p-pat"]}`}
	c := buildCase(t, created, openCase, emailOnly, hookOnly, h)
	want := []string{
		"h-1 p-cli email 2026-12-01T17:00:00Z planned",
		"h-1 p-cli email 2026-12-02T17:00:00Z planned",
		"h-1 p-pat webhook 2026-11-26T17:00:00Z planned",
		"h-1 p-pat webhook 2026-12-02T17:00:00Z planned",
		"h-1 p-pat webhook 2026-12-03T15:00:00Z planned",
	}
	diffLines(t, "Plan(party channels)", lines(notify.Plan(c, now, 0)), want)
}

func TestPlanNothingForPastDoneOrCancelled(t *testing.T) {
	tests := []struct {
		name   string
		extra  []draft
		now    time.Time
		absent string // item id that must have no reminder
	}{
		{"hearing already held", nil, at("2026-12-03T10:00:00-08:00"), "h-1"},
		{"hearing cancelled", []draft{{events.HearingCancelled, `{"hearing_id":"h-1","reason":"settled"}`}}, now, "h-1"},
		{"filing completed", []draft{{events.FilingCompleted, `{"filing_id":"f-1","filed_at":"2026-11-19T10:00:00-08:00"}`}}, now, "f-1"},
		{"filing withdrawn", []draft{{events.FilingWithdrawn, `{"filing_id":"f-1"}`}}, now, "f-1"},
		{"deadline completed", []draft{{events.DeadlineCompleted, `{"deadline_id":"d-1"}`}}, now, "d-1"},
		{"deadline superseded", []draft{{events.DeadlineSuperseded, `{"deadline_id":"d-1"}`}}, now, "d-1"},
		{"past hearing", nil, now, "h-0"},
		{"filed filing", nil, now, "f-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := buildCase(t, created, append(richCase(), tt.extra...)...)
			for _, r := range notify.Plan(c, tt.now, 0) {
				if r.ItemID == tt.absent {
					t.Errorf("Plan has %s for %s; want none", lines([]notify.Reminder{r}), tt.absent)
				}
			}
		})
	}
	closed := buildCase(t, created, append(richCase(), draft{events.CaseClosed, `{}`})...)
	if got := notify.Plan(closed, now, 0); len(got) != 0 {
		t.Errorf("closed case: %d reminders; want none", len(got))
	}
}

func TestPlanRescheduleReplacesReminders(t *testing.T) {
	before := notify.Plan(buildCase(t, created, richCase()...), now, 0)
	// Moved on Nov 20 to Nov 24, 09:00: a new revision, so new ids. Reminders that fell due
	// before the move (7 days before Nov 24 is Nov 17) were never due for this revision: the
	// change notice tells the parties instead.
	moved := draft{events.HearingRescheduled, `{"hearing_id":"h-1","start":"2026-11-24T09:00:00-08:00","end":"2026-11-24T09:30:00-08:00"}`}
	c := buildCase(t, created, richCase()...)
	for _, e := range caseEvents(t, "c-1", now, 100, moved) {
		if err := c.Apply(e); err != nil {
			t.Fatal(err)
		}
	}
	after := notify.Plan(c, now, 0)
	var hearingBefore, hearingAfter []notify.Reminder
	for _, r := range before {
		if r.ItemID == "h-1" {
			hearingBefore = append(hearingBefore, r)
		}
	}
	for _, r := range after {
		if r.ItemID == "h-1" {
			hearingAfter = append(hearingAfter, r)
			if r.ItemRevision != 1 {
				t.Errorf("%s has revision %d; want 1", r.ID, r.ItemRevision)
			}
		}
	}
	for _, id := range ids(hearingBefore) {
		if slices.Contains(ids(hearingAfter), id) {
			t.Errorf("reminder %s survived the reschedule", id)
		}
	}
	want := []string{
		"h-1 p-ann email 2026-11-23T17:00:00Z planned",
		"h-1 p-ann email 2026-11-24T15:00:00Z planned",
		"h-1 p-ann sms 2026-11-23T17:00:00Z planned",
		"h-1 p-ann sms 2026-11-24T15:00:00Z planned",
		"h-1 p-pat email 2026-11-23T17:00:00Z planned",
		"h-1 p-pat email 2026-11-24T15:00:00Z planned",
		"h-1 p-cli email 2026-11-22T17:00:00Z planned",
		"h-1 p-cli email 2026-11-23T17:00:00Z planned",
		"h-1 p-cli sms 2026-11-22T17:00:00Z planned",
		"h-1 p-cli sms 2026-11-23T17:00:00Z planned",
		"h-1 p-wit email 2026-11-22T17:00:00Z undeliverable",
		"h-1 p-wit email 2026-11-23T17:00:00Z undeliverable",
		"h-1 p-wit sms 2026-11-22T17:00:00Z planned",
		"h-1 p-wit sms 2026-11-23T17:00:00Z planned",
	}
	diffLines(t, "Plan(after reschedule)", lines(hearingAfter), want)
}

func TestPlanCatchUpSendsOnlyTheLatestDue(t *testing.T) {
	// An instance back after an outage at 12:00 PST on Dec 2, after the 7-day and the 1-day
	// reminders fell due: only the 1-day one is still worth sending.
	c := buildCase(t, created, openCase, ann, draft{events.HearingScheduled, `{"hearing_id":"h-1","title":"CMC","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T09:30:00-08:00","attendees":["p-ann"]}`})
	want := []string{
		"h-1 p-ann email 2026-12-02T17:00:00Z planned",
		"h-1 p-ann email 2026-12-03T15:00:00Z planned",
		"h-1 p-ann sms 2026-12-02T17:00:00Z planned",
		"h-1 p-ann sms 2026-12-03T15:00:00Z planned",
	}
	diffLines(t, "Plan(after an outage)", lines(notify.Plan(c, at("2026-12-02T12:00:00-08:00"), 0)), want)
}

func TestPlanRecurringAppointment(t *testing.T) {
	// A weekly prep meeting on Mondays at 10:00 PST from Nov 23, one occurrence cancelled
	// and one moved; planned 20 days ahead.
	series := draft{events.AppointmentScheduled, `{"appointment_id":"a-1","title":"Trial prep","start":"2026-11-23T10:00:00-08:00","end":"2026-11-23T11:00:00-08:00","rrule":"FREQ=WEEKLY;COUNT=10","attendees":["p-pat"]}`}
	skip := draft{events.AppointmentCancelled, `{"appointment_id":"a-1","occurrence":"2026-11-30T10:00:00-08:00"}`}
	move := draft{events.AppointmentRescheduled, `{"appointment_id":"a-1","occurrence":"2026-12-07T10:00:00-08:00","start":"2026-12-08T14:00:00-08:00","end":"2026-12-08T15:00:00-08:00"}`}
	c := buildCase(t, created, openCase, pat, series, skip, move)
	got := notify.Plan(c, now, 20*24*time.Hour)
	want := []string{
		// Nov 23, 10:00 PST: the 7-day reminder (Nov 16) fell due before this first plan
		// and its successor has not, so it is still sent, late rather than never.
		"a-1@11-23 p-pat email 2026-11-16T18:00:00Z planned",
		"a-1@11-23 p-pat email 2026-11-22T18:00:00Z planned",
		"a-1@11-23 p-pat email 2026-11-23T16:00:00Z planned",
		// Nov 30 is cancelled; Dec 7 moved to Dec 8, 14:00 PST; Dec 14 is beyond the horizon.
		"a-1@12-07 p-pat email 2026-12-01T22:00:00Z planned",
		"a-1@12-07 p-pat email 2026-12-07T22:00:00Z planned",
		"a-1@12-07 p-pat email 2026-12-08T20:00:00Z planned",
	}
	diffLines(t, "Plan(series)", lines(got), want)
}

func TestOffsetString(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "PT0S"},
		{2 * time.Hour, "PT2H"},
		{7 * 24 * time.Hour, "P7D"},
		{26*time.Hour + 30*time.Minute, "P1DT2H30M"},
		{90 * time.Second, "PT1M30S"},
	}
	for _, tt := range tests {
		if got := notify.Offset(tt.in).String(); got != tt.want {
			t.Errorf("Offset(%v) = %q; want %q", tt.in, got, tt.want)
		}
		if tt.in > 0 {
			if back, err := events.ParseDuration(tt.want); err != nil || back != tt.in {
				t.Errorf("ParseDuration(%q) = %v, %v; want %v", tt.want, back, err, tt.in)
			}
		}
	}
}
