package events_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
)

// FuzzDecode feeds arbitrary payloads to the strict decoder of every event type: it must never
// panic, must reject with an EINVALID error naming a field under /data, and whatever it
// accepts must survive a round trip through JSON and be accepted again.
func FuzzDecode(f *testing.F) {
	seeds := []struct{ typ, data string }{
		{events.HearingScheduled, `{"hearing_id":"h-1","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00","attendees":["p-1"]}`},
		{events.AppointmentScheduled, `{"appointment_id":"a-1","title":"T","start":"2026-12-03T09:00:00-08:00","end":"2026-12-03T10:00:00-08:00","rrule":"FREQ=WEEKLY;COUNT=3","exdates":["2026-12-10T09:00:00-08:00"]}`},
		{events.FilingDue, `{"filing_id":"f-1","title":"Answer","due":"2026-12-14"}`},
		{events.PartyAdded, `{"party_id":"p-1","email":"a@b.example","phone":"+14155550100","quiet_hours":{"start":"21:00","end":"08:00"}}`},
		{events.ReminderPolicySet, `{"rules":[{"items":["hearing"],"roles":["attorney"],"before":"PT2H","channels":["sms"]}]}`},
		{events.TriggerRecorded, `{"trigger_id":"t-1","kind":"complaint.served","at":"2026-11-02","service_method":"mail"}`},
		{events.CaseOpened, `{"docket_number":"1","title":"T","court":{"id":"c","time_zone":"America/New_York"}}`},
		{events.CaseUpdated, `{"title":null}`},
		{events.HearingScheduled, `{"start":"2026-02-30T09:00:00Z"}`},
		{events.FilingDue, `[1,2,3]`},
	}
	for _, s := range seeds {
		f.Add(s.typ, []byte(s.data))
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		p, err := events.Decode(typ, data, "/data")
		if err != nil {
			var de *docket.Error
			if !errors.As(err, &de) || de.Code != docket.EINVALID || de.Message == "" {
				t.Fatalf("Decode(%q, %q) = %v; want an EINVALID error", typ, data, err)
			}
			if de.Field != "/type" && de.Field != "/data" && len(de.Field) < 6 {
				t.Fatalf("Decode(%q, %q) error names no field: %+v", typ, data, de)
			}
			return
		}
		again, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("accepted %q but cannot marshal it: %v", data, err)
		}
		if _, err := events.Decode(typ, again, "/data"); err != nil {
			t.Fatalf("accepted %q, but not its own re-encoding %q: %v", data, again, err)
		}
	})
}

// FuzzUnmarshal feeds arbitrary bytes to the lenient decoder of stored events (the replay
// path): it must never panic.
func FuzzUnmarshal(f *testing.F) {
	f.Add([]byte(`{"specversion":"1.0","id":"x","type":"party.added","subject":"c-1","time":"2026-11-25T17:00:00Z","data":{"party_id":"p"}}`))
	f.Add([]byte(`{"type":"filing.due","data":{"due":"2026-13-01"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		e, err := events.Unmarshal(b, 1)
		if err != nil {
			return
		}
		if events.Known(e.Type) {
			_, _ = e.Payload()
		}
	})
}
