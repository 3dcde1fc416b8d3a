package events

import (
	"encoding/json"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
)

// Limits on what a client may send.
const (
	// MaxBodyBytes is the largest request body or event accepted (1 MiB).
	MaxBodyBytes = 1 << 20
	// MaxEventsPerAppend is the most events one command may append atomically (JetStream's
	// atomic batch limit).
	MaxEventsPerAppend = 1000
	maxText            = 2000
	maxList            = 200
)

var (
	idPattern    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$`)
	e164Pattern  = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	kindPattern  = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$`)
	clockPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]$`)
)

// Enumerations of the catalogue.
var (
	Roles          = []string{"attorney", "paralegal", "client", "witness", "opposing_counsel", "judge", "interpreter", "expert", "other"}
	Channels       = []string{"email", "sms", "webhook"}
	Visibilities   = []string{"all", "internal"}
	CaseStatuses   = []string{"open", "stayed", "closed"}
	ServiceMethods = []string{"personal", "mail", "electronic", "leaving_with_clerk", "other_consented", "mail_out_of_state", "mail_international", "express", "fax"}
	ItemKinds      = []string{calendar.KindHearing, calendar.KindAppointment, calendar.KindFiling, calendar.KindDeadline}
)

// ValidID reports whether s may name a case, item or party.
func ValidID(s string) bool { return idPattern.MatchString(s) }

// Decode strictly decodes and validates the data of a client's event of type typ, returning
// the payload. Errors are EINVALID with Field a JSON pointer under prefix.
func Decode(typ string, data json.RawMessage, prefix string) (any, error) {
	mk, ok := payloads[typ]
	if !ok {
		return nil, docket.Invalid(strings.TrimSuffix(prefix, "/data")+"/type", "unknown event type %q", typ)
	}
	if len(data) == 0 || string(data) == "null" {
		return nil, docket.Invalid(prefix, "required")
	}
	v := mk()
	if err := DecodeStrict(data, prefix, v); err != nil {
		return nil, err
	}
	c := checker{prefix: prefix}
	c.payload(v)
	if c.err != nil {
		return nil, c.err
	}
	return v, nil
}

// checker collects the first validation failure, so each rule reads as one line.
type checker struct {
	prefix string
	err    error
}

func (c *checker) fail(field, format string, args ...any) {
	if c.err == nil {
		c.err = docket.Invalid(c.prefix+"/"+field, format, args...)
	}
}

func (c *checker) id(field, v string) {
	if v == "" {
		c.fail(field, "required")
	} else if !ValidID(v) {
		c.fail(field, "%q is not a valid id (letters, digits, _ and -, up to 64, starting with a letter or digit)", v)
	}
}

func (c *checker) ids(field string, vs []string) {
	if len(vs) > maxList {
		c.fail(field, "at most %d entries", maxList)
	}
	for i, v := range vs {
		c.id(field+"/"+itoa(i), v)
		if slices.Contains(vs[:i], v) {
			c.fail(field+"/"+itoa(i), "%q is listed twice", v)
		}
	}
}

func (c *checker) text(field, v string, required bool) {
	switch {
	case required && strings.TrimSpace(v) == "":
		c.fail(field, "required")
	case len(v) > maxText:
		c.fail(field, "at most %d bytes", maxText)
	}
}

func (c *checker) oneOf(field, v string, allowed []string, required bool) {
	if v == "" {
		if required {
			c.fail(field, "required (one of %s)", strings.Join(allowed, ", "))
		}
		return
	}
	if !slices.Contains(allowed, v) {
		c.fail(field, "%q is not one of %s", v, strings.Join(allowed, ", "))
	}
}

func (c *checker) allOf(field string, vs, allowed []string, required bool) {
	if required && len(vs) == 0 {
		c.fail(field, "at least one of %s", strings.Join(allowed, ", "))
	}
	for i, v := range vs {
		c.oneOf(field+"/"+itoa(i), v, allowed, true)
	}
}

func (c *checker) zone(field, v string, required bool) {
	if v == "" {
		if required {
			c.fail(field, "required (an IANA time zone such as America/Los_Angeles)")
		}
		return
	}
	if _, err := LoadZone(v); err != nil {
		c.fail(field, "%v", err)
	}
}

func (c *checker) instant(field string, t time.Time) {
	if t.IsZero() {
		c.fail(field, "required (an RFC 3339 time with offset)")
	} else if t.Year() < 1900 || t.Year() > 2200 {
		c.fail(field, "year %d is out of range", t.Year())
	}
}

func (c *checker) span(start, end time.Time) {
	c.instant("start", start)
	c.instant("end", end)
	if c.err == nil && !end.After(start) {
		c.fail("end", "must be after start")
	} else if c.err == nil && end.Sub(start) > 31*24*time.Hour {
		c.fail("end", "an event may last at most 31 days")
	}
}

func (c *checker) when(field string, w calendar.When) {
	if w.IsZero() {
		c.fail(field, "required (a date YYYY-MM-DD or an RFC 3339 time)")
	} else if w.Date.Year < 1900 || w.Date.Year > 2200 {
		c.fail(field, "year %d is out of range", w.Date.Year)
	}
}

func (c *checker) location(l Location) {
	c.text("location/courtroom", l.Courtroom, false)
	c.text("location/address", l.Address, false)
	if l.URL != "" {
		c.url("location/url", l.URL)
	}
}

func (c *checker) url(field, v string) {
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		c.fail(field, "%q is not an absolute http(s) URL", v)
	}
}

func (c *checker) payload(v any) {
	switch d := v.(type) {
	case *CaseOpenedData:
		c.text("docket_number", d.DocketNumber, true)
		c.text("title", d.Title, true)
		c.court("court", d.Court)
		if d.RuleSet != "" {
			c.id("ruleset", d.RuleSet)
		}
		c.oneOf("status", d.Status, CaseStatuses, false)
	case *CaseUpdatedData:
		if d.DocketNumber != nil {
			c.text("docket_number", *d.DocketNumber, true)
		}
		if d.Title != nil {
			c.text("title", *d.Title, true)
		}
		if d.Court != nil {
			c.court("court", *d.Court)
		}
		if d.RuleSet != nil {
			c.id("ruleset", *d.RuleSet)
		}
		if d.Status != nil {
			c.oneOf("status", *d.Status, CaseStatuses, true)
		}
		if *d == (CaseUpdatedData{}) {
			c.fail("", "name at least one field to change")
		}
	case *CaseStatusData:
		c.text("reason", d.Reason, false)
	case *PartyData:
		c.party(d)
	case *PartyRemovedData:
		c.id("party_id", d.PartyID)
	case *HearingScheduledData:
		c.id("hearing_id", d.HearingID)
		c.text("title", d.Title, true)
		c.text("kind", d.Kind, false)
		c.span(d.Start, d.End)
		c.location(d.Location)
		c.text("judge", d.Judge, false)
		c.ids("attendees", d.Attendees)
		c.oneOf("visibility", d.Visibility, Visibilities, false)
	case *HearingRescheduledData:
		c.id("hearing_id", d.HearingID)
		c.span(d.Start, d.End)
		c.text("reason", d.Reason, false)
	case *CancelledData:
		c.id("hearing_id", d.HearingID)
		c.text("reason", d.Reason, false)
	case *AppointmentScheduledData:
		c.appointment(d)
	case *AppointmentRescheduledData:
		c.id("appointment_id", d.AppointmentID)
		if d.Occurrence != nil {
			c.instant("occurrence", *d.Occurrence)
		}
		c.span(d.Start, d.End)
		c.text("reason", d.Reason, false)
	case *AppointmentCancelledData:
		c.id("appointment_id", d.AppointmentID)
		if d.Occurrence != nil {
			c.instant("occurrence", *d.Occurrence)
		}
		c.text("reason", d.Reason, false)
	case *FilingDueData:
		c.id("filing_id", d.FilingID)
		c.text("title", d.Title, true)
		c.when("due", d.Due)
		c.ids("responsible", d.Responsible)
		c.oneOf("visibility", d.Visibility, Visibilities, false)
	case *FilingExtendedData:
		c.id("filing_id", d.FilingID)
		c.when("due", d.Due)
		c.text("reason", d.Reason, false)
	case *FilingCompletedData:
		c.id("filing_id", d.FilingID)
		c.instant("filed_at", d.FiledAt)
	case *FilingWithdrawnData:
		c.id("filing_id", d.FilingID)
		c.text("reason", d.Reason, false)
	case *TriggerRecordedData:
		c.id("trigger_id", d.TriggerID)
		if d.Kind == "" {
			c.fail("kind", "required (e.g. complaint.served)")
		} else if !kindPattern.MatchString(d.Kind) || len(d.Kind) > 64 {
			c.fail("kind", "%q is not a trigger kind (lowercase words joined by dots)", d.Kind)
		}
		c.when("at", d.At)
		c.oneOf("service_method", d.ServiceMethod, ServiceMethods, false)
		if len(d.Closures) > maxList {
			c.fail("closures", "at most %d days", maxList)
		}
	case *DeadlineComputedData:
		c.id("deadline_id", d.DeadlineID)
		c.id("trigger_id", d.TriggerID)
		c.text("rule_id", d.RuleID, true)
		c.text("citation", d.Citation, true)
		c.text("title", d.Title, true)
		c.when("due", d.Due)
		c.allOf("responsible_roles", d.ResponsibleRoles, Roles, false)
	case *DeadlineOverriddenData:
		c.id("deadline_id", d.DeadlineID)
		c.when("due", d.Due)
		c.text("reason", d.Reason, false)
	case *DeadlineCompletedData:
		c.id("deadline_id", d.DeadlineID)
	case *DeadlineSupersededData:
		c.id("deadline_id", d.DeadlineID)
		c.text("reason", d.Reason, false)
	case *ReminderPolicySetData:
		c.policy(d)
	case *ReminderOutcomeData:
		c.text("reminder_id", d.ReminderID, true)
		c.id("party_id", d.PartyID)
		c.oneOf("channel", d.Channel, Channels, true)
		c.text("item_id", d.ItemID, true)
		c.text("error", d.Error, false)
	}
}

func (c *checker) court(field string, ct Court) {
	c.id(field+"/id", ct.ID)
	c.text(field+"/name", ct.Name, false)
	c.zone(field+"/time_zone", ct.TimeZone, true)
}

func (c *checker) party(d *PartyData) {
	c.id("party_id", d.PartyID)
	c.text("name", d.Name, false)
	c.oneOf("role", d.Role, Roles, false)
	if d.Email != "" {
		if a, err := mail.ParseAddress(d.Email); err != nil || a.Address != d.Email {
			c.fail("email", "%q is not an email address", d.Email)
		}
	}
	if d.Phone != "" && !e164Pattern.MatchString(d.Phone) {
		c.fail("phone", "%q is not an E.164 number such as +14155550123", d.Phone)
	}
	if d.WebhookURL != "" {
		c.url("webhook_url", d.WebhookURL)
	}
	c.zone("time_zone", d.TimeZone, false)
	c.allOf("channels", d.Channels, Channels, false)
	if q := d.QuietHours; q != nil {
		if !clockPattern.MatchString(q.Start) {
			c.fail("quiet_hours/start", "%q is not a local time HH:MM", q.Start)
		}
		if !clockPattern.MatchString(q.End) {
			c.fail("quiet_hours/end", "%q is not a local time HH:MM", q.End)
		}
	}
}

func (c *checker) appointment(d *AppointmentScheduledData) {
	c.id("appointment_id", d.AppointmentID)
	c.text("title", d.Title, true)
	c.text("kind", d.Kind, false)
	c.span(d.Start, d.End)
	c.zone("time_zone", d.TimeZone, false)
	c.location(d.Location)
	c.ids("attendees", d.Attendees)
	c.oneOf("visibility", d.Visibility, Visibilities, false)
	if d.RRule == "" {
		if len(d.ExDates) > 0 {
			c.fail("exdates", "only a recurring appointment (rrule) has exdates")
		}
		return
	}
	if c.err != nil {
		return
	}
	if _, err := calendar.ParseRecurrence(d.RRule, d.Start); err != nil {
		c.fail("rrule", "%v", err)
	}
	if len(d.ExDates) > calendar.MaxOccurrences {
		c.fail("exdates", "at most %d entries", calendar.MaxOccurrences)
	}
}

func (c *checker) policy(d *ReminderPolicySetData) {
	if len(d.Rules) > maxList {
		c.fail("rules", "at most %d rules", maxList)
	}
	for i, r := range d.Rules {
		f := "rules/" + itoa(i) + "/"
		c.allOf(f+"items", r.Items, ItemKinds, true)
		c.allOf(f+"roles", r.Roles, Roles, true)
		c.allOf(f+"channels", r.Channels, Channels, true)
		if r.Before == "" {
			c.fail(f+"before", "required (an ISO 8601 duration such as PT2H or P7D)")
		} else if d, err := ParseDuration(r.Before); err != nil {
			c.fail(f+"before", "%v", err)
		} else if d < 0 || d > 366*24*time.Hour {
			c.fail(f+"before", "must be between PT0S and P366D")
		}
		if r.At != "" && !clockPattern.MatchString(r.At) {
			c.fail(f+"at", "%q is not a local time HH:MM", r.At)
		}
	}
}

// LoadZone loads an IANA time zone (cached), refusing the empty name and "Local", which would mean the
// server's zone rather than the court's.
func LoadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, docket.Errorf(docket.EINVALID, "%q is not an IANA time zone", name)
	}
	loc, err := calendar.LoadLocation(name)
	if err != nil {
		return nil, docket.Errorf(docket.EINVALID, "%q is not an IANA time zone", name)
	}
	return loc, nil
}

func itoa(i int) string { return strconv.Itoa(i) }
