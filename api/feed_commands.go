package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"

	"github.com/oklog/ulid/v2"

	"github.com/docket/docket"
	"github.com/docket/docket/events"
)

// tokenBytes is the entropy of a feed token: 256 bits, well over the 128 a guess must beat.
const tokenBytes = 32

// IssuedFeed is a new feed: its id and, once only, its secret token.
type IssuedFeed struct {
	FeedID string
	Token  string
}

// IssueFeed records a new feed subscription for a case, a party or a court. The token is
// returned once and stored only as its SHA-256.
func (s *Service) IssueFeed(ctx context.Context, scope, id string, includeInternal *bool, actor string) (IssuedFeed, error) {
	switch scope {
	case events.ScopeCase, events.ScopeParty, events.ScopeCourt:
	case "":
		return IssuedFeed{}, docket.Invalid("/scope", "required: case, party or court")
	default:
		return IssuedFeed{}, docket.Invalid("/scope", "%q is not case, party or court", scope)
	}
	if !events.ValidID(id) {
		return IssuedFeed{}, docket.Invalid("/id", "%q is not a valid %s id", id, scope)
	}
	if err := s.waitApplied(ctx, 0); err != nil {
		return IssuedFeed{}, err
	}
	if !s.cases.Exists(scope, id) {
		return IssuedFeed{}, docket.Errorf(docket.ENOTFOUND, "no %s %q", scope, id)
	}
	raw := make([]byte, tokenBytes)
	_, _ = rand.Read(raw)
	token := base64.RawURLEncoding.EncodeToString(raw)
	feedID := "f-" + strings.ToLower(ulid.Make().String())
	data := events.FeedIssuedData{FeedID: feedID, Scope: scope, ID: id, TokenHash: TokenHash(token), IncludeInternal: includeInternal}
	e, err := events.New(events.FeedIssued, feedID, s.Source, actor, s.Now(), data)
	if err != nil {
		return IssuedFeed{}, err
	}
	a, err := s.store.Append(ctx, events.FeedSubject(feedID), 0, "", []events.Event{e})
	if err != nil {
		return IssuedFeed{}, err
	}
	_ = s.waitApplied(ctx, a.Version())
	return IssuedFeed{FeedID: feedID, Token: token}, nil
}

// RevokeFeed records a feed's revocation; every instance stops serving it as soon as its
// projections apply the event. Revoking a revoked feed is a no-op.
func (s *Service) RevokeFeed(ctx context.Context, feedID, actor string) error {
	if err := s.waitApplied(ctx, 0); err != nil {
		return err
	}
	f, ok := s.feeds.ByID(feedID)
	if !ok {
		return docket.Errorf(docket.ENOTFOUND, "no feed %q", feedID)
	}
	if f.Revoked {
		return nil
	}
	e, err := events.New(events.FeedRevoked, feedID, s.Source, actor, s.Now(), events.FeedRevokedData{FeedID: feedID})
	if err != nil {
		return err
	}
	a, err := s.store.Append(ctx, events.FeedSubject(feedID), f.Seq, "", []events.Event{e})
	if docket.ErrorCode(err) == docket.ECONFLICT {
		return nil // revoked concurrently
	} else if err != nil {
		return err
	}
	return s.waitApplied(ctx, a.Version())
}

// TokenHash returns the stored form of a feed token.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// validToken reports whether s looks like a token Docket issues, so malformed ones are
// refused before any lookup.
func validToken(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}
