package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks header names (https://www.standardwebhooks.com).
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// DefaultWebhookTolerance is how far a webhook's timestamp may be from the receiver's clock,
// as the Standard Webhooks libraries default it; VerifyWebhook uses it for a tolerance of 0.
const DefaultWebhookTolerance = 5 * time.Minute

// minWebhookKey is the Standard Webhooks minimum for a symmetric secret (192 bits).
const minWebhookKey = 24

// ErrWebhookSignature is returned by VerifyWebhook when the signature headers are missing or
// malformed, or no v1 signature matches the body.
var ErrWebhookSignature = errors.New("webhook signature does not verify")

// ErrWebhookTimestamp is returned by VerifyWebhook when a correctly signed webhook is older or
// newer than the tolerance allows, which is what a replayed request looks like.
var ErrWebhookTimestamp = errors.New("webhook timestamp outside tolerance")

// ParseWebhookSecret decodes a "whsec_<base64>" secret (the prefix is optional) into the HMAC
// key, rejecting keys shorter than the 24 bytes the spec asks for.
func ParseWebhookSecret(secret string) ([]byte, error) {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return nil, fmt.Errorf("webhook secret: want whsec_ followed by base64: %w", err)
	}
	if len(key) < minWebhookKey {
		return nil, fmt.Errorf("webhook secret: %d bytes, want at least %d", len(key), minWebhookKey)
	}
	return key, nil
}

// Webhook posts messages as JSON to each recipient's WebhookURL, signed per Standard Webhooks.
// It is safe for concurrent use.
type Webhook struct {
	key    []byte
	client *http.Client

	// Now stamps webhook-timestamp; defaults to time.Now. Tests replace it.
	Now func() time.Time
}

// NewWebhook returns a Webhook sender signing with secret ("whsec_<base64>"). It panics on a
// secret ParseWebhookSecret rejects or a nil client, so misconfiguration shows at start-up.
func NewWebhook(secret string, client *http.Client) *Webhook {
	key, err := ParseWebhookSecret(secret)
	if err != nil {
		panic("notify.NewWebhook: " + err.Error())
	}
	if client == nil {
		panic("notify.NewWebhook: nil http.Client")
	}
	// The spec counts a redirect as a failed delivery: following one would send a signed
	// payload to an address the party never registered.
	c := *client
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &Webhook{key: key, client: &c, Now: time.Now}
}

// Send posts m to m.Recipient.WebhookURL and returns the webhook-id. 2xx is delivered; a 4xx
// other than 408 and 429 is permanent; anything else is retryable.
func (w *Webhook) Send(ctx context.Context, m Message) (string, error) {
	if err := m.validate(); err != nil {
		return "", Permanent(err)
	}
	target, err := m.Recipient.Address(ChannelWebhook)
	if err != nil {
		return "", Permanent(fmt.Errorf("webhook %s: %w", m.ID, err))
	}
	now := w.Now()
	body, err := webhookBody(m, now)
	if err != nil {
		return "", Permanent(fmt.Errorf("webhook %s: %w", m.ID, err))
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return "", Permanent(fmt.Errorf("webhook %s: %w", m.ID, err))
	}
	ts := now.Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Docket-Webhooks/1")
	req.Header.Set(HeaderWebhookID, m.ID)
	req.Header.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderWebhookSignature, "v1,"+base64.StdEncoding.EncodeToString(webhookMAC(w.key, m.ID, ts, body)))

	// Errors name the host only: a webhook URL often carries a token in its path or query.
	host := req.URL.Host
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("webhook %s to %s: %w", m.ID, host, err)
	}
	// Draining lets the connection be reused; the receiver's reply carries nothing we need.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return m.ID, nil
	}
	err = fmt.Errorf("webhook %s to %s: http %d", m.ID, host, resp.StatusCode)
	if permanentStatus(resp.StatusCode) {
		return "", Permanent(err)
	}
	return "", err
}

// VerifyWebhook checks a received webhook the way a receiver should: the v1 HMAC-SHA256 over
// "id.timestamp.body" with secret, compared in constant time, and the timestamp within
// tolerance of now (DefaultWebhookTolerance when tolerance is 0). body must be the raw bytes
// received, not re-encoded JSON. It returns nil, ErrWebhookSignature or ErrWebhookTimestamp
// (wrapped), or an error about the secret.
func VerifyWebhook(secret string, header http.Header, body []byte, now time.Time, tolerance time.Duration) error {
	key, err := ParseWebhookSecret(secret)
	if err != nil {
		return err
	}
	id := header.Get(HeaderWebhookID)
	tsText := header.Get(HeaderWebhookTimestamp)
	sigs := header.Get(HeaderWebhookSignature)
	if id == "" || tsText == "" || sigs == "" {
		return fmt.Errorf("%w: missing %s, %s or %s header", ErrWebhookSignature,
			HeaderWebhookID, HeaderWebhookTimestamp, HeaderWebhookSignature)
	}
	ts, err := strconv.ParseInt(tsText, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: bad %s %q", ErrWebhookSignature, HeaderWebhookTimestamp, tsText)
	}
	want := webhookMAC(key, id, ts, body)
	matched := false
	// The header is a space-separated list so that senders can sign with an old and a new key
	// while rotating; any one v1 match is enough.
	for _, s := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			matched = true
			break
		}
	}
	if !matched {
		return ErrWebhookSignature
	}
	if tolerance <= 0 {
		tolerance = DefaultWebhookTolerance
	}
	sent := time.Unix(ts, 0)
	if d := now.Sub(sent); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: sent %s, now %s", ErrWebhookTimestamp,
			sent.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	return nil
}

// webhookMAC signs "id.timestamp.body", binding the body to its id and time so that neither
// can be swapped or replayed with another body.
func webhookMAC(key []byte, id string, ts int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(nil, ts, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// webhookEvent is the body of a webhook in the shape the Standard Webhooks spec recommends:
// a dotted type, a timestamp and the data.
type webhookEvent struct {
	Type      string      `json:"type"`
	Timestamp time.Time   `json:"timestamp"`
	Data      webhookData `json:"data"`
}

type webhookData struct {
	ID      string          `json:"id"`
	Kind    Kind            `json:"kind"`
	CaseID  string          `json:"case_id,omitempty"`
	ItemID  string          `json:"item_id,omitempty"`
	PartyID string          `json:"party_id,omitempty"`
	Subject string          `json:"subject"`
	Text    string          `json:"text,omitempty"`
	Details []Detail        `json:"details,omitempty"`
	DueAt   *time.Time      `json:"due_at,omitempty"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// webhookBody renders m as compact JSON. The event timestamp is DueAt, not the send time, so
// that every retry of one reminder carries the same body; now is the fallback without DueAt.
func webhookBody(m Message, now time.Time) ([]byte, error) {
	if len(m.Payload) > 0 {
		trimmed := bytes.TrimSpace(m.Payload)
		if !json.Valid(trimmed) || trimmed[0] != '{' {
			return nil, errors.New("payload is not a JSON object")
		}
	}
	ev := webhookEvent{
		Type:      "docket." + string(m.Kind),
		Timestamp: now.UTC(),
		Data: webhookData{
			ID: m.ID, Kind: m.Kind, CaseID: m.CaseID, ItemID: m.ItemID,
			PartyID: m.Recipient.PartyID, Subject: m.subjectLine(),
			Text: m.Text, Details: m.Details, Payload: m.Payload,
		},
	}
	if !m.DueAt.IsZero() {
		due := m.DueAt.UTC()
		ev.Timestamp, ev.Data.DueAt = due, &due
	}
	return marshalJSON(ev, "")
}

// marshalJSON encodes v without escaping <, > and &: the bodies are not embedded in HTML, and
// receivers and outbox readers should see "Smith & Jones" as written.
func marshalJSON(v any, indent string) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", indent)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
