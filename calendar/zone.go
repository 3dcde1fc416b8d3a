package calendar

import (
	"sync"
	"time"
)

// zones caches loaded locations: time.LoadLocation parses the zone database on every call,
// and feeds, expansions and folds ask for the same few zones millions of times.
var zones sync.Map // name → *time.Location

// LoadLocation is time.LoadLocation with a cache. Zones are immutable once loaded, so the
// answer for a name never changes within a process.
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
