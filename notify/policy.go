package notify

import (
	"slices"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// rule is one reminder rule with its offset parsed: for the item kinds and party roles it
// names, a reminder before the item on each channel.
type rule struct {
	items []string
	// roles are the party roles the rule reaches; nil reaches every role (the responsible
	// parties of a filing or deadline, whatever their role).
	roles  []string
	before time.Duration
	// at is a local time "HH:MM" on the day the offset lands on, in the party's zone.
	at       string
	channels []string
	// also are channels added when the party lists them; only the defaults have them, so
	// that "email, and SMS too if the party wants SMS" needs no second rule.
	also []string
}

// insideRoles are the firm's own people: they get the long reminder ladder and the agenda.
var insideRoles = []string{"attorney", "paralegal"}

// outsideRoles are the people the firm brings to a hearing. DESIGN.md §6 names clients and
// witnesses; interpreters and experts are added because a hearing fails without them just
// the same. Judges and opposing counsel are never reminded: the court and the other side
// keep their own calendars.
var outsideRoles = []string{"client", "witness", "interpreter", "expert"}

const day = 24 * time.Hour

// defaultAt is the local time of the day-of reminder for filings and deadlines, and of every
// whole-day reminder about an all-day item: midnight would wake people, and 09:00 is when
// the working day begins.
const defaultAt = "09:00"

// defaultRules are DESIGN.md §6's defaults, used unless the case sets a policy.
var defaultRules = []rule{
	{items: []string{calendar.KindHearing, calendar.KindAppointment}, roles: insideRoles, before: 7 * day, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
	{items: []string{calendar.KindHearing, calendar.KindAppointment}, roles: insideRoles, before: day, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
	{items: []string{calendar.KindHearing, calendar.KindAppointment}, roles: insideRoles, before: 2 * time.Hour, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
	{items: []string{calendar.KindHearing, calendar.KindAppointment}, roles: outsideRoles, before: 2 * day, channels: []string{ChannelEmail, ChannelSMS}, also: []string{ChannelWebhook}},
	{items: []string{calendar.KindHearing, calendar.KindAppointment}, roles: outsideRoles, before: day, channels: []string{ChannelEmail, ChannelSMS}, also: []string{ChannelWebhook}},
	{items: []string{calendar.KindFiling, calendar.KindDeadline}, before: 7 * day, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
	{items: []string{calendar.KindFiling, calendar.KindDeadline}, before: 3 * day, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
	{items: []string{calendar.KindFiling, calendar.KindDeadline}, before: day, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
	{items: []string{calendar.KindFiling, calendar.KindDeadline}, before: 0, at: defaultAt, channels: []string{ChannelEmail}, also: []string{ChannelSMS, ChannelWebhook}},
}

// caseRules returns the rules in force on a case: its reminder.policy.set rules, replacing
// the defaults, or the defaults. A stored rule that no longer parses is left out rather than
// stopping every other reminder; validation refuses such rules on append.
func caseRules(c *projections.Case) []rule {
	if len(c.Policy) == 0 {
		return defaultRules
	}
	out := make([]rule, 0, len(c.Policy))
	for _, p := range c.Policy {
		d, err := events.ParseDuration(p.Before)
		if err != nil || d < 0 {
			continue
		}
		out = append(out, rule{items: p.Items, roles: p.Roles, before: d, at: p.At, channels: p.Channels})
	}
	return out
}

// reaches reports whether r applies to an item of kind for a party with role.
func (r rule) reaches(kind, role string) bool {
	return slices.Contains(r.items, kind) && (r.roles == nil || slices.Contains(r.roles, role))
}

// channelsFor returns the channels r uses for p, in the fixed order email, sms, webhook. A
// party that lists channels is reached only on those; when the rule names none of them, the
// party's own choice wins, since the rule says the party is to be reminded and the party
// said how.
func (r rule) channelsFor(p *projections.Party) []string {
	var out []string
	for _, ch := range events.Channels {
		in := slices.Contains(r.channels, ch) || (slices.Contains(r.also, ch) && slices.Contains(p.Channels, ch))
		if in && (len(p.Channels) == 0 || slices.Contains(p.Channels, ch)) {
			out = append(out, ch)
		}
	}
	if len(out) == 0 && len(p.Channels) > 0 {
		for _, ch := range events.Channels {
			if slices.Contains(p.Channels, ch) {
				out = append(out, ch)
			}
		}
	}
	return out
}

// noticeChannels returns the channels a change notice about an item of kind reaches p on:
// every channel any of the rules would remind p on, none when no rule reaches p's role.
func noticeChannels(rules []rule, kind string, p *projections.Party) []string {
	var out []string
	for _, r := range rules {
		if !r.reaches(kind, p.Role) {
			continue
		}
		for _, ch := range r.channelsFor(p) {
			if !slices.Contains(out, ch) {
				out = append(out, ch)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(events.Channels, a) - slices.Index(events.Channels, b) })
	return out
}

// loadZone returns the named zone (cached by events.LoadZone), or nil when it is not a valid
// IANA zone.
func loadZone(name string) *time.Location {
	loc, err := events.LoadZone(name)
	if err != nil {
		return nil
	}
	return loc
}

// partyZone returns the zone a party's local times are in: the party's own, else the court's.
func partyZone(c *projections.Case, p *projections.Party) *time.Location {
	if p.TimeZone != "" {
		if loc := loadZone(p.TimeZone); loc != nil {
			return loc
		}
	}
	return c.Location()
}

// recipientOf returns the addresses of a party.
func recipientOf(p *projections.Party) Recipient {
	return Recipient{PartyID: p.PartyID, Name: p.Name, Email: p.Email, Phone: p.Phone, WebhookURL: p.WebhookURL}
}
