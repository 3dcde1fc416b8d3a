package projections

import (
	"log/slog"
	"maps"
	"slices"
	"sync"

	"github.com/docket/docket/events"
)

// Cases is the read model of every case, with the indexes per-party and per-court views need.
// Readers take a consistent view through Read and Each; the runner applies events.
type Cases struct {
	mu      sync.RWMutex
	byID    map[string]*Case
	byParty map[string]map[string]bool // party id → case ids
	byCourt map[string]map[string]bool // court id → case ids
	// Skipped counts stored events that could not be decoded (written by something other
	// than Docket); they are logged and left out rather than stopping every projection.
	Skipped int
}

// NewCases returns an empty read model.
func NewCases() *Cases {
	return &Cases{byID: map[string]*Case{}, byParty: map[string]map[string]bool{}, byCourt: map[string]map[string]bool{}}
}

// Apply folds one stored case event (its CloudEvents subject is the case id) into the read
// model. Events of other types, such as feed events, are ignored.
func (cs *Cases) Apply(e events.Event) error {
	if !events.Known(e.Type) {
		return nil
	}
	id := e.Subject
	p, err := e.Payload()
	if err != nil {
		cs.mu.Lock()
		cs.Skipped++
		cs.mu.Unlock()
		slog.Warn("projection skipped an event", "seq", e.Seq, "type", e.Type, "err", err)
		return nil
	}
	cs.mu.Lock()
	defer cs.mu.Unlock()
	c := cs.byID[id]
	if c == nil {
		if e.Type != events.CaseOpened {
			return nil
		}
		c = NewCase(id)
		cs.byID[id] = c
	}
	oldCourt := c.Court.ID
	c.apply(e, p)
	switch d := p.(type) {
	case *events.PartyData:
		index(cs.byParty, d.PartyID, id, true)
	case *events.PartyRemovedData:
		index(cs.byParty, d.PartyID, id, false)
	}
	if c.Court.ID != oldCourt {
		index(cs.byCourt, oldCourt, id, false)
		index(cs.byCourt, c.Court.ID, id, true)
	}
	return nil
}

func index(ix map[string]map[string]bool, key, caseID string, on bool) {
	if key == "" {
		return
	}
	if on {
		if ix[key] == nil {
			ix[key] = map[string]bool{}
		}
		ix[key][caseID] = true
		return
	}
	delete(ix[key], caseID)
	if len(ix[key]) == 0 {
		delete(ix, key)
	}
}

// Read calls fn with the case under a read lock and reports whether it exists. fn must not
// keep the case or change it.
func (cs *Cases) Read(id string, fn func(*Case)) bool {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	c, ok := cs.byID[id]
	if ok {
		fn(c)
	}
	return ok
}

// Each calls fn for each case in ids (all cases when ids is nil), in id order, under one read
// lock.
func (cs *Cases) Each(ids []string, fn func(*Case)) {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	if ids == nil {
		ids = slices.Sorted(maps.Keys(cs.byID))
	}
	for _, id := range ids {
		if c, ok := cs.byID[id]; ok {
			fn(c)
		}
	}
}

// PartyCases returns the ids of the cases a party is on, sorted.
func (cs *Cases) PartyCases(partyID string) []string {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	return slices.Sorted(maps.Keys(cs.byParty[partyID]))
}

// CourtCases returns the ids of a court's cases, sorted.
func (cs *Cases) CourtCases(courtID string) []string {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	return slices.Sorted(maps.Keys(cs.byCourt[courtID]))
}

// Len returns the number of cases.
func (cs *Cases) Len() int {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	return len(cs.byID)
}
