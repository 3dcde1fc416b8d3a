package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// ClaimsBucket is the JetStream KV bucket in which instances claim the messages they send.
// Renaming it would let an old and a new instance both win the same claim during an upgrade.
const ClaimsBucket = "docket-claims"

// DefaultClaimTTL is how long a claim lives. It must outlast a send with its retries, so that
// a live instance is never overtaken, and be short enough that the work of an instance that
// crashed is picked up by another within minutes.
const DefaultClaimTTL = 5 * time.Minute

// claimValue is what a claim records, for whoever inspects the bucket.
type claimValue struct {
	Instance string    `json:"instance"`
	At       time.Time `json:"at"`
}

// openClaims creates the claims bucket, or updates it to these settings, so that every
// instance may call it at start.
//
// Claims expire by a per-key TTL (ADR-48, nats-server 2.11+) rather than a bucket-wide
// MaxAge. Both expire a claim the same way, but the lifetime is a property of the worker that
// claims (its timeout and retry budget), not of the bucket: instances sharing a cluster may
// be configured differently, and a bucket-wide MaxAge would be whatever the instance that
// started last imposed through this very update. LimitMarkerTTL is what enables per-key
// TTLs; the marker it leaves when a claim expires shows watchers that it lapsed, and Create
// succeeds over it.
func openClaims(ctx context.Context, js jetstream.JetStream, replicas int, ttl time.Duration) (jetstream.KeyValue, error) {
	kv, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:         ClaimsBucket,
		Description:    "Docket reminder claims: one key per message being sent, expiring on its own",
		History:        1,
		Storage:        jetstream.FileStorage,
		Replicas:       replicas,
		LimitMarkerTTL: ttl,
	})
	if err != nil {
		return nil, fmt.Errorf("open claims bucket %s: %w", ClaimsBucket, err)
	}
	return kv, nil
}

// claim tries to claim message id for instance, for ttl. Only one instance wins: KV Create
// succeeds only when the key is absent (or its last claim has expired). won is false, with no
// error, when someone holds the claim.
func claim(ctx context.Context, kv jetstream.KeyValue, id, instance string, now time.Time, ttl time.Duration) (won bool, err error) {
	v, err := json.Marshal(claimValue{Instance: instance, At: now.UTC()})
	if err != nil {
		return false, err
	}
	_, err = kv.Create(ctx, id, v, jetstream.KeyTTL(ttl))
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, jetstream.ErrKeyExists):
		return false, nil
	}
	return false, fmt.Errorf("claim %s: %w", id, err)
}
