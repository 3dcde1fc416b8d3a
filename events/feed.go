package events

// Feed event types, stored on docket.feed.<feed_id> so that every instance learns of a feed's
// issue and revocation from the stream.
const (
	FeedIssued  = "feed.issued"
	FeedRevoked = "feed.revoked"
)

// Feed scopes.
const (
	ScopeCase  = "case"
	ScopeParty = "party"
	ScopeCourt = "court"
)

// FeedIssuedData is the payload of feed.issued. The token itself is never stored: only its
// SHA-256, so a leaked stream does not leak subscriptions.
type FeedIssuedData struct {
	FeedID    string `json:"feed_id"`
	Scope     string `json:"scope"`
	ID        string `json:"id"`
	TokenHash string `json:"token_hash"`
	// IncludeInternal is nil when the issuer left it to the default for the scope.
	IncludeInternal *bool `json:"include_internal,omitempty"`
}

// FeedRevokedData is the payload of feed.revoked.
type FeedRevokedData struct {
	FeedID string `json:"feed_id"`
}
