package notify

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/projections"
)

// DefaultAgendaSpec is when the daily agenda goes out: 17:00 on weekdays, in each party's own
// time zone (DOCKET_AGENDA_CRON).
const DefaultAgendaSpec = "0 17 * * 1-5"

// agendaLookback is how far back a starting worker looks for agenda times it may have missed
// while down; an agenda already sent is recognised by its recorded outcome.
const agendaLookback = 12 * time.Hour

// agendaSchedule is the agenda's cron schedule, instantiated per time zone.
type agendaSchedule struct {
	spec string
	// fixed is set when the spec names its own zone (CRON_TZ= or TZ=): everyone's agenda then
	// goes at that zone's time.
	fixed cron.Schedule
	zones map[string]cron.Schedule
}

// parseAgenda checks a five-field cron spec (or descriptor such as @daily) and returns its
// schedule; an empty spec is DefaultAgendaSpec.
func parseAgenda(spec string) (*agendaSchedule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		spec = DefaultAgendaSpec
	}
	a := &agendaSchedule{spec: spec, zones: map[string]cron.Schedule{}}
	if strings.HasPrefix(spec, "CRON_TZ=") || strings.HasPrefix(spec, "TZ=") {
		s, err := cron.ParseStandard(spec)
		if err != nil {
			return nil, fmt.Errorf("agenda cron %q: %w", spec, err)
		}
		a.fixed = s
		return a, nil
	}
	if _, err := cron.ParseStandard("CRON_TZ=UTC " + spec); err != nil {
		return nil, fmt.Errorf("agenda cron %q: %w", spec, err)
	}
	return a, nil
}

// in returns the schedule in zone (an IANA name that loadZone accepted).
func (a *agendaSchedule) in(zone string) cron.Schedule {
	if a.fixed != nil {
		return a.fixed
	}
	s, ok := a.zones[zone]
	if !ok {
		var err error
		if s, err = cron.ParseStandard("CRON_TZ=" + zone + " " + a.spec); err != nil {
			s, _ = cron.ParseStandard("CRON_TZ=UTC " + a.spec)
		}
		a.zones[zone] = s
	}
	return s
}

// lastFiring returns the latest time in (since, now] the schedule fires, and the firing after
// it; zero when it does not fire in that span.
func lastFiring(s cron.Schedule, since, now time.Time) (fired, next time.Time) {
	for f := s.Next(since); !f.IsZero() && !f.After(now); f = s.Next(f) {
		fired = f
	}
	if fired.IsZero() {
		return time.Time{}, time.Time{}
	}
	return fired, s.Next(fired)
}

// agendaJob is one party's agenda for one firing: the items of [from, to).
type agendaJob struct {
	r        Reminder
	zone     *time.Location
	from, to time.Time
}

// newAgendaJob returns the agenda a party is due at fired, covering the days after it up to
// and including the day of the next firing, so that Friday's agenda covers the weekend and
// Monday. The id derives from the party and the day it fires, so it goes out once.
func newAgendaJob(partyID string, zone *time.Location, fired, next time.Time) agendaJob {
	firedOn := calendar.DateOf(fired.In(zone))
	from := firedOn.AddDays(1).Midnight(zone)
	to := firedOn.AddDays(2).Midnight(zone)
	if !next.IsZero() {
		to = calendar.DateOf(next.In(zone)).AddDays(1).Midnight(zone)
	}
	r := Reminder{ID: hashID("agd-", partyID, firedOn.String()), Kind: KindAgenda, ItemID: "agenda-" + firedOn.AddDays(1).String(),
		ItemAt: from, PartyID: partyID, Channel: ChannelEmail, DueAt: fired, Status: StatusPlanned}
	return agendaJob{r: r, zone: zone, from: from, to: to}
}

// agenda returns what a party's agenda for [from, to) holds, and the party's address and the
// cases it covers: the hearings, appointments, open filings and deadlines of the cases where
// the party is an attorney or paralegal that the party attends or is responsible for. An
// all-day item counts on its date, as the party's calendar shows it.
func (p *Planner) agenda(partyID string, from, to time.Time) (entries []agendaEntry, rcpt Recipient, cases []string, reachable bool) {
	found := false
	p.cases.Each(p.cases.PartyCases(partyID), func(c *projections.Case) {
		party := c.Parties[partyID]
		if c.Status == "closed" || party == nil || !slices.Contains(insideRoles, party.Role) {
			return
		}
		if !found {
			found = true
			rcpt = recipientOf(party)
			reachable = len(party.Channels) == 0 || slices.Contains(party.Channels, ChannelEmail)
		}
		loc := partyZone(c, party)
		first, last := calendar.DateOf(from.In(loc)), calendar.DateOf(to.In(loc)).AddDays(-1)
		n := len(entries)
		for _, it := range items(c, from, to.Sub(from)) {
			inside := !it.at.Before(from) && it.at.Before(to)
			if it.allDay {
				inside = !it.date.Before(first) && !it.date.After(last)
			}
			if !inside || !slices.Contains(it.parties, partyID) {
				continue
			}
			v, ok := viewOf(c, Reminder{Kind: KindReminder, ItemKind: it.kind, ItemID: it.id, ItemAt: it.at})
			if ok {
				entries = append(entries, agendaEntry{kind: it.kind, itemID: it.id, view: v, at: it.at,
					caseID: c.ID, caseLine: strings.TrimSpace(c.DocketNumber + " — " + c.Title)})
			}
		}
		if len(entries) > n {
			cases = append(cases, c.ID)
		}
	})
	slices.SortStableFunc(entries, func(a, b agendaEntry) int { return a.at.Compare(b.at) })
	return entries, rcpt, cases, reachable
}

// agendaSent reports whether an agenda's outcome is recorded on any of the party's cases.
func (p *Planner) agendaSent(partyID, id string) bool {
	sent := false
	p.cases.Each(p.cases.PartyCases(partyID), func(c *projections.Case) {
		sent = sent || c.Outcomes[id] != nil
	})
	return sent
}
