package api

import (
	"bufio"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/docket/docket"
)

// Scopes, each including the ones before it.
const (
	ScopeRead  = "read"
	ScopeWrite = "write"
	ScopeAdmin = "admin"
)

var scopeRank = map[string]int{ScopeRead: 1, ScopeWrite: 2, ScopeAdmin: 3}

// Keys holds the API keys, only as SHA-256 hashes, with the scope each grants.
type Keys struct {
	byHash map[[32]byte]key
}

type key struct {
	name  string
	scope string
}

// ParseKeys reads keys, one per line: "<key> <scope> [name]" with scope read, write or admin;
// blank lines and lines starting with # are ignored. src names the source in errors.
func ParseKeys(r io.Reader, src string) (*Keys, error) {
	k := &Keys{byHash: map[[32]byte]key{}}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if err := k.add(line); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", src, n, err)
		}
	}
	return k, sc.Err()
}

// ParseKeyList reads keys from a ";"-separated list of "<key> <scope> [name]" entries, the
// form DOCKET_API_KEYS takes.
func ParseKeyList(list string) (*Keys, error) {
	return ParseKeys(strings.NewReader(strings.ReplaceAll(list, ";", "\n")), "DOCKET_API_KEYS")
}

func (k *Keys) add(line string) error {
	f := strings.Fields(line)
	if len(f) < 2 || len(f) > 3 {
		return fmt.Errorf(`want "<key> <scope> [name]"`)
	}
	if len(f[0]) < 16 {
		return fmt.Errorf("key %q is shorter than 16 characters", f[0][:min(4, len(f[0]))]+"…")
	}
	if _, ok := scopeRank[f[1]]; !ok {
		return fmt.Errorf("scope %q is not read, write or admin", f[1])
	}
	name := "key"
	if len(f) == 3 {
		name = f[2]
	}
	k.byHash[sha256.Sum256([]byte(f[0]))] = key{name: name, scope: f[1]}
	return nil
}

// Merge adds other's keys to k.
func (k *Keys) Merge(other *Keys) {
	for h, v := range other.byHash {
		k.byHash[h] = v
	}
}

// Len returns the number of keys.
func (k *Keys) Len() int {
	if k == nil {
		return 0
	}
	return len(k.byHash)
}

// authorize checks the request's bearer key against the scope the route needs and returns the
// key's name as the actor. With no keys at all, every request is allowed (the server refuses
// to start that way unless bound to loopback).
func (k *Keys) authorize(r *http.Request, scope string) (string, error) {
	if k.Len() == 0 {
		return "local", nil
	}
	h := r.Header.Get("Authorization")
	token, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || token == "" {
		return "", docket.Errorf(docket.EUNAUTHORIZED, "send an API key as Authorization: Bearer <key>")
	}
	got, ok := k.byHash[sha256.Sum256([]byte(strings.TrimSpace(token)))]
	if !ok {
		return "", docket.Errorf(docket.EUNAUTHORIZED, "unknown API key")
	}
	if scopeRank[got.scope] < scopeRank[scope] {
		return "", docket.Errorf(docket.EFORBIDDEN, "this key has scope %s; %s is needed", got.scope, scope)
	}
	return got.name, nil
}
