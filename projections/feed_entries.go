package projections

import (
	"fmt"
	"hash"
	"hash/fnv"
	"slices"
	"time"

	"github.com/docket/docket/calendar"
	"github.com/docket/docket/events"
)

// insideRoles see internal items in their party feeds unless the feed says otherwise; every
// other role is an outside party (clients, witnesses, opposing counsel …).
var insideRoles = []string{"attorney", "paralegal"}

// FeedView is what one feed shows now.
type FeedView struct {
	Name    string
	Entries []calendar.Entry
	// Key changes whenever the entries may have: it is the cache key of the rendered bytes.
	Key string
	// Modified is the latest change among the cases shown.
	Modified time.Time
}

// ViewFeed gathers the entries a feed shows: a case's, a party's across every case the party
// is on (only the items the party attends or is responsible for), or a court's. Internal
// items are left out unless the feed includes them; a party feed includes them by default
// only on cases where the party is an attorney or paralegal. ok is false when the scope's
// subject no longer exists.
func (cs *Cases) ViewFeed(f events.FeedIssuedData) (v FeedView, ok bool) {
	h := feedHash(f)
	cs.Each(cs.feedCases(f), func(c *Case) {
		ok = true
		fmt.Fprintf(h, "%s@%d|", c.ID, c.Version)
		if c.Modified.After(v.Modified) {
			v.Modified = c.Modified
		}
		internal := f.IncludeInternal != nil && *f.IncludeInternal
		if f.IncludeInternal == nil && f.Scope == events.ScopeParty {
			if p := c.Parties[f.ID]; p != nil {
				internal = slices.Contains(insideRoles, p.Role)
			}
		}
		for _, e := range c.Entries() {
			if e.Internal && !internal {
				continue
			}
			if f.Scope == events.ScopeParty && !slices.Contains(e.Parties, f.ID) {
				continue
			}
			v.Entries = append(v.Entries, e)
		}
		switch f.Scope {
		case events.ScopeCase:
			v.Name = c.DocketNumber + " " + c.Title
		case events.ScopeParty:
			if p := c.Parties[f.ID]; p != nil && p.Name != "" {
				v.Name = "Docket — " + p.Name
			}
		case events.ScopeCourt:
			v.Name = "Docket — " + c.Court.Name
		}
	})
	if v.Name == "" {
		v.Name = "Docket — " + f.ID
	}
	v.Key = fmt.Sprintf("%x", h.Sum64())
	return v, ok
}

// FeedKey returns what ViewFeed's Key would be now, without building any entry: polling an
// unchanged feed costs only this.
func (cs *Cases) FeedKey(f events.FeedIssuedData) (key string, ok bool) {
	h := feedHash(f)
	cs.Each(cs.feedCases(f), func(c *Case) {
		ok = true
		fmt.Fprintf(h, "%s@%d|", c.ID, c.Version)
	})
	return fmt.Sprintf("%x", h.Sum64()), ok
}

func feedHash(f events.FeedIssuedData) hash.Hash64 {
	h := fnv.New64a()
	internal := "default"
	if f.IncludeInternal != nil {
		internal = fmt.Sprint(*f.IncludeInternal)
	}
	fmt.Fprintf(h, "%s|%s|%s|", f.Scope, f.ID, internal)
	return h
}

func (cs *Cases) feedCases(f events.FeedIssuedData) []string {
	switch f.Scope {
	case events.ScopeCase:
		return []string{f.ID}
	case events.ScopeParty:
		return cs.PartyCases(f.ID)
	case events.ScopeCourt:
		return cs.CourtCases(f.ID)
	}
	return []string{}
}

// Exists reports whether a feed scope's subject exists: a case, a party on some case, or a
// court of some case.
func (cs *Cases) Exists(scope, id string) bool {
	switch scope {
	case events.ScopeCase:
		return cs.Read(id, func(*Case) {})
	case events.ScopeParty:
		return len(cs.PartyCases(id)) > 0
	case events.ScopeCourt:
		return len(cs.CourtCases(id)) > 0
	}
	return false
}
