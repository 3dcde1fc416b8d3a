package notify

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
	"github.com/docket/docket/projections"
)

// seriesRefresh is how often cases with recurring appointments are planned again, so that
// occurrences entering the horizon get their reminders.
const seriesRefresh = 24 * time.Hour

// Planner is the projection that keeps the reminder plan of every case: the reminders Plan
// calls for, the change notices events call for, and a time-ordered index of both that the
// worker sweeps. Register it with the runner after the Cases it reads, so it sees each case
// already updated. Planning is lazy: an event marks its case, and the case is planned again
// when the plan is next read, so a replay or a burst of events on one case plans it once.
type Planner struct {
	// Now returns the current time; defaults to time.Now. Tests replace it.
	Now func() time.Time
	// Horizon is how far ahead recurring appointments are planned; defaults to DefaultHorizon.
	Horizon time.Duration

	cases *projections.Cases

	mu    sync.Mutex
	plans map[string]*casePlan
	dirty map[string]struct{}
	ix    *index
	// snaps remembers every item as the last event left it (key: case, kind, item id).
	snaps map[string]*snapshot
	// series are the cases with recurring appointments, planned again every seriesRefresh.
	series    map[string]struct{}
	refreshAt time.Time
	// insiders maps each attorney and paralegal to the zone of each case they are on: the
	// agenda goes to them.
	insiders map[string]map[string]string
	byZone   map[string][]string // cached agenda recipients per zone; nil when stale
}

// casePlan is the plan of one case.
type casePlan struct {
	// slots are the planned and undeliverable reminders and notices.
	slots []*slot
	// notices are the change notices not yet sent; they come from events, not from the
	// case's state, so they survive planning again.
	notices  []Reminder
	insiders map[string]string
}

// NewPlanner returns a planner over the read model cases; it panics on nil.
func NewPlanner(cases *projections.Cases) *Planner {
	if cases == nil {
		panic("notify: NewPlanner with nil cases")
	}
	return &Planner{Now: time.Now, cases: cases, plans: map[string]*casePlan{}, dirty: map[string]struct{}{},
		ix: newIndex(), snaps: map[string]*snapshot{}, series: map[string]struct{}{}, insiders: map[string]map[string]string{}}
}

// Apply folds one stored event: it derives the change notices an item event calls for, takes
// the reminder an outcome resolves out of the plan, and marks the case for planning. The
// runner calls it in stream order, after Cases.
func (p *Planner) Apply(e events.Event) error {
	if !events.Known(e.Type) {
		return nil
	}
	caseID := e.Subject
	p.mu.Lock()
	defer p.mu.Unlock()
	if e.Type == events.ReminderSent || e.Type == events.ReminderFailed {
		// An outcome changes nothing but the one reminder it resolves: take it out, rather
		// than plan the case again for every message the worker sends.
		pl, err := e.Payload()
		if _, dirty := p.dirty[caseID]; !dirty && err == nil {
			d := pl.(*events.ReminderOutcomeData)
			p.resolve(caseID, d.ReminderID)
			return nil
		}
	}
	if kind, id, ref, ok := refOf(e); ok {
		key := caseID + "\x00" + kind + "\x00" + id
		p.cases.Read(caseID, func(c *projections.Case) {
			cur := snapshotOf(c, kind, id)
			fresh := changeNotices(c, e, kind, id, ref, p.snaps[key], cur)
			if cur != nil {
				p.snaps[key] = cur
			}
			if len(fresh) > 0 {
				cp := p.plans[caseID]
				if cp == nil {
					cp = &casePlan{}
					p.plans[caseID] = cp
				}
				cp.notices = mergeNotices(c, cp.notices, fresh)
			}
		})
	}
	p.dirty[caseID] = struct{}{}
	return nil
}

// resolve takes reminder id of a case out of the plan and the index. p.mu is held.
func (p *Planner) resolve(caseID, id string) {
	cp := p.plans[caseID]
	if cp == nil {
		return
	}
	for i, s := range cp.slots {
		if s.r.ID == id {
			p.ix.remove(s)
			cp.slots = slices.Delete(cp.slots, i, i+1)
			break
		}
	}
	cp.notices = slices.DeleteFunc(cp.notices, func(n Reminder) bool { return n.ID == id })
}

func (p *Planner) horizon() time.Duration {
	if p.Horizon > 0 {
		return p.Horizon
	}
	return DefaultHorizon
}

// flush plans a case again at now. p.mu is held.
func (p *Planner) flush(caseID string, now time.Time) {
	delete(p.dirty, caseID)
	cp := p.plans[caseID]
	var planned, notices []Reminder
	var insiders map[string]string
	series := false
	found := p.cases.Read(caseID, func(c *projections.Case) {
		planned = Plan(c, now, p.horizon())
		if cp != nil {
			cp.notices, notices = refreshNotices(c, cp.notices, now)
		}
		insiders = insidersOf(c)
		for _, a := range c.Appointments {
			series = series || (a.RRule != "" && a.Status != calendar.StatusCancelled)
		}
	})
	if cp != nil {
		for _, s := range cp.slots {
			p.ix.remove(s)
		}
		cp.slots = cp.slots[:0]
	}
	if !found {
		delete(p.plans, caseID)
		delete(p.series, caseID)
		p.setInsiders(caseID, cp, nil)
		return
	}
	if cp == nil {
		cp = &casePlan{}
		p.plans[caseID] = cp
	}
	for _, r := range slices.Concat(planned, notices) {
		if r.Status != StatusPlanned && r.Status != StatusUndeliverable {
			continue
		}
		s := &slot{r: r, pos: -1}
		cp.slots = append(cp.slots, s)
		if r.Status == StatusPlanned {
			p.ix.add(s)
		}
	}
	if series {
		p.series[caseID] = struct{}{}
	} else {
		delete(p.series, caseID)
	}
	p.setInsiders(caseID, cp, insiders)
}

// flushDirty plans every marked case, and every case with a series once a day. p.mu is held.
func (p *Planner) flushDirty(now time.Time) {
	if !now.Before(p.refreshAt) {
		for id := range p.series {
			p.dirty[id] = struct{}{}
		}
		p.refreshAt = now.Add(seriesRefresh)
	}
	for id := range p.dirty {
		p.flush(id, now)
	}
}

// due returns the reminders and notices due at now and not yet resolved, oldest first.
// Those whose item has begun are dropped from the index on the way.
func (p *Planner) due(now time.Time) []Reminder {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushDirty(now)
	p.ix.advance(now)
	var out []Reminder
	for s := range p.ix.due {
		if !s.r.ItemAt.After(now) {
			p.ix.remove(s)
			continue
		}
		out = append(out, s.r)
	}
	slices.SortFunc(out, compareReminders)
	return out
}

// current returns reminder id of a case as the plan holds it now, if it is still to be sent:
// planned, its item not moved, cancelled or begun, and no outcome recorded.
func (p *Planner) current(caseID, id string, now time.Time) (Reminder, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.dirty[caseID]; ok {
		p.flush(caseID, now)
	}
	if cp := p.plans[caseID]; cp != nil {
		for _, s := range cp.slots {
			if s.r.ID == id && s.r.Status == StatusPlanned && s.r.ItemAt.After(now) {
				return s.r, true
			}
		}
	}
	return Reminder{}, false
}

// Len returns the number of reminders and notices waiting to be sent, due or not.
func (p *Planner) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushDirty(p.Now())
	return p.ix.len()
}

// Planned returns the reminders of a case (or, with caseID empty, of every case of partyID,
// or of every case), for one party when partyID is set, with one status when status is set:
// planned and undeliverable ones from the plan, sent and failed ones from the outcomes
// recorded on the cases, including change notices and agendas. They are sorted by due time.
func (p *Planner) Planned(caseID, partyID, status string) []Reminder {
	now := p.Now()
	var ids []string
	switch {
	case caseID != "":
		ids = []string{caseID}
	case partyID != "":
		ids = p.cases.PartyCases(partyID)
	}
	match := func(r Reminder) bool {
		return (partyID == "" || r.PartyID == partyID) && (status == "" || r.Status == status)
	}
	var out []Reminder
	if status == "" || status == StatusPlanned || status == StatusUndeliverable {
		p.mu.Lock()
		if ids == nil {
			p.flushDirty(now)
		}
		for _, id := range p.scope(ids) {
			if _, ok := p.dirty[id]; ok {
				p.flush(id, now)
			}
			for _, s := range p.plans[id].slotsOrNil() {
				if s.r.ItemAt.After(now) && match(s.r) {
					out = append(out, s.r)
				}
			}
		}
		p.mu.Unlock()
	}
	if status == "" || status == StatusSent || status == StatusFailed {
		p.cases.Each(ids, func(c *projections.Case) {
			for _, o := range c.Outcomes {
				if r := outcomeReminder(c, o); match(r) {
					out = append(out, r)
				}
			}
		})
	}
	slices.SortFunc(out, compareReminders)
	return out
}

// scope returns ids, or every planned case when ids is nil. p.mu is held.
func (p *Planner) scope(ids []string) []string {
	if ids != nil {
		return ids
	}
	return slices.Collect(maps.Keys(p.plans))
}

func (cp *casePlan) slotsOrNil() []*slot {
	if cp == nil {
		return nil
	}
	return cp.slots
}

// outcomeReminder returns a recorded outcome as a reminder.
func outcomeReminder(c *projections.Case, o *projections.ReminderOutcome) Reminder {
	r := Reminder{ID: o.ReminderID, Kind: kindOfID(o.ReminderID), CaseID: c.ID, ItemID: o.ItemID, PartyID: o.PartyID,
		Channel: o.Channel, DueAt: o.DueAt, Status: o.Status, Attempts: o.Attempts, ProviderID: o.ProviderID,
		Error: o.Error, OutcomeAt: o.At}
	switch {
	case r.Kind == KindAgenda:
	case c.Hearings[o.ItemID] != nil:
		r.ItemKind = calendar.KindHearing
	case c.Appointments[o.ItemID] != nil:
		r.ItemKind = calendar.KindAppointment
	case c.Filings[o.ItemID] != nil:
		r.ItemKind = calendar.KindFiling
	case c.Deadlines[o.ItemID] != nil:
		r.ItemKind = calendar.KindDeadline
	}
	return r
}

// kindOfID tells what a reminder id names from its prefix.
func kindOfID(id string) Kind {
	switch {
	case strings.HasPrefix(id, "ntc-"):
		return KindChangeNotice
	case strings.HasPrefix(id, "agd-"):
		return KindAgenda
	}
	return KindReminder
}

// insidersOf returns the attorneys and paralegals of an open case with the zone each lives in.
func insidersOf(c *projections.Case) map[string]string {
	if c.Status == "closed" {
		return nil
	}
	var out map[string]string
	for id, party := range c.Parties {
		if slices.Contains(insideRoles, party.Role) {
			if out == nil {
				out = map[string]string{}
			}
			out[id] = partyZone(c, party).String()
		}
	}
	return out
}

// setInsiders records the agenda recipients of a case. p.mu is held.
func (p *Planner) setInsiders(caseID string, cp *casePlan, now map[string]string) {
	var was map[string]string
	if cp != nil {
		was, cp.insiders = cp.insiders, now
	}
	if maps.Equal(was, now) {
		return
	}
	for party := range was {
		delete(p.insiders[party], caseID)
		if len(p.insiders[party]) == 0 {
			delete(p.insiders, party)
		}
	}
	for party, zone := range now {
		if p.insiders[party] == nil {
			p.insiders[party] = map[string]string{}
		}
		p.insiders[party][caseID] = zone
	}
	p.byZone = nil
}

// agendaRecipients returns the attorneys and paralegals by the zone their agenda follows: the
// zone on their first case (by id), so that a party on cases in several courts gets one
// agenda.
func (p *Planner) agendaRecipients(now time.Time) map[string][]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.flushDirty(now)
	if p.byZone == nil {
		p.byZone = map[string][]string{}
		for party, cases := range p.insiders {
			first := slices.Min(slices.Collect(maps.Keys(cases)))
			p.byZone[cases[first]] = append(p.byZone[cases[first]], party)
		}
		for _, parties := range p.byZone {
			slices.Sort(parties)
		}
	}
	return p.byZone
}
