package projections

import (
	"encoding/json"
	"sync"

	"github.com/docket/docket/events"
)

// Feed is one issued feed subscription.
type Feed struct {
	events.FeedIssuedData
	Revoked bool   `json:"revoked"`
	Seq     uint64 `json:"-"`
}

// Feeds is the read model of feed subscriptions, looked up by token hash.
type Feeds struct {
	mu     sync.RWMutex
	byHash map[string]*Feed
	byID   map[string]*Feed
}

// NewFeeds returns an empty feed registry.
func NewFeeds() *Feeds {
	return &Feeds{byHash: map[string]*Feed{}, byID: map[string]*Feed{}}
}

// Apply folds feed.issued and feed.revoked; other events are ignored.
func (fs *Feeds) Apply(e events.Event) error {
	switch e.Type {
	case events.FeedIssued:
		var d events.FeedIssuedData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil
		}
		f := &Feed{FeedIssuedData: d, Seq: e.Seq}
		fs.mu.Lock()
		fs.byHash[d.TokenHash], fs.byID[d.FeedID] = f, f
		fs.mu.Unlock()
	case events.FeedRevoked:
		var d events.FeedRevokedData
		if err := json.Unmarshal(e.Data, &d); err != nil {
			return nil
		}
		fs.mu.Lock()
		if f := fs.byID[d.FeedID]; f != nil {
			f.Revoked, f.Seq = true, e.Seq
			delete(fs.byHash, f.TokenHash)
		}
		fs.mu.Unlock()
	}
	return nil
}

// ByTokenHash returns the live feed whose token hashes to h.
func (fs *Feeds) ByTokenHash(h string) (Feed, bool) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	f, ok := fs.byHash[h]
	if !ok {
		return Feed{}, false
	}
	return *f, true
}

// ByID returns a feed, live or revoked.
func (fs *Feeds) ByID(id string) (Feed, bool) {
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	f, ok := fs.byID[id]
	if !ok {
		return Feed{}, false
	}
	return *f, true
}
