package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket/docket/notify"
)

// The secret and vector come from the Standard Webhooks reference libraries' tests, so that
// VerifyWebhook is checked against an implementation other than our own.
const (
	vectorSecret    = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	vectorID        = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	vectorTimestamp = 1614265330
	vectorBody      = `{"test": 2432232314}`
	vectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
)

func vectorHeader() http.Header {
	h := http.Header{}
	h.Set(notify.HeaderWebhookID, vectorID)
	h.Set(notify.HeaderWebhookTimestamp, strconv.Itoa(vectorTimestamp))
	h.Set(notify.HeaderWebhookSignature, vectorSignature)
	return h
}

// delivery is one webhook as the receiver got it.
type delivery struct {
	Header http.Header
	Body   []byte
	Err    error // what VerifyWebhook said at the receiver
}

// startReceiver runs a receiver that verifies each request at receiverNow and answers status.
func startReceiver(t *testing.T, secret string, receiverNow time.Time, status int) (*httptest.Server, func() []delivery) {
	t.Helper()
	var mu sync.Mutex
	var got []delivery
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("read body: %v", err)
		}
		d := delivery{Header: r.Header.Clone(), Body: body,
			Err: notify.VerifyWebhook(secret, r.Header, body, receiverNow, 0)}
		mu.Lock()
		got = append(got, d)
		mu.Unlock()
		if d.Err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []delivery {
		mu.Lock()
		defer mu.Unlock()
		return append([]delivery(nil), got...)
	}
}

func newWebhook(secret string, client *http.Client) *notify.Webhook {
	w := notify.NewWebhook(secret, client)
	w.Now = func() time.Time { return testNow }
	return w
}

func TestVerifyWebhookKnownVector(t *testing.T) {
	now := time.Unix(vectorTimestamp, 0)
	if err := notify.VerifyWebhook(vectorSecret, vectorHeader(), []byte(vectorBody), now, 0); err != nil {
		t.Fatalf("VerifyWebhook(reference vector) = %v; want nil", err)
	}
	// The reference libraries accept the secret without its prefix too.
	if err := notify.VerifyWebhook(strings.TrimPrefix(vectorSecret, "whsec_"), vectorHeader(), []byte(vectorBody), now, 0); err != nil {
		t.Errorf("VerifyWebhook(unprefixed secret) = %v; want nil", err)
	}

	rotated := vectorHeader()
	rotated.Set(notify.HeaderWebhookSignature, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v1a,AAAA "+vectorSignature)

	tests := []struct {
		name   string
		header http.Header
		body   string
		now    time.Time
		want   error
	}{
		{"rotated keys", rotated, vectorBody, now, nil},
		{"tampered body", vectorHeader(), `{"test": 2432232315}`, now, notify.ErrWebhookSignature},
		{"reformatted body", vectorHeader(), `{"test":2432232314}`, now, notify.ErrWebhookSignature},
		{"other id", withHeader(vectorHeader(), notify.HeaderWebhookID, "msg_other"), vectorBody, now, notify.ErrWebhookSignature},
		{"moved timestamp", withHeader(vectorHeader(), notify.HeaderWebhookTimestamp, strconv.Itoa(vectorTimestamp+1)), vectorBody, now.Add(time.Second), notify.ErrWebhookSignature},
		{"no signature", withHeader(vectorHeader(), notify.HeaderWebhookSignature, ""), vectorBody, now, notify.ErrWebhookSignature},
		{"bad timestamp", withHeader(vectorHeader(), notify.HeaderWebhookTimestamp, "yesterday"), vectorBody, now, notify.ErrWebhookSignature},
		{"five minutes late", vectorHeader(), vectorBody, now.Add(5 * time.Minute), nil},
		{"too old", vectorHeader(), vectorBody, now.Add(5*time.Minute + time.Second), notify.ErrWebhookTimestamp},
		{"from the future", vectorHeader(), vectorBody, now.Add(-5*time.Minute - time.Second), notify.ErrWebhookTimestamp},
	}
	for _, tt := range tests {
		err := notify.VerifyWebhook(vectorSecret, tt.header, []byte(tt.body), tt.now, 5*time.Minute)
		if (tt.want == nil && err != nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
			t.Errorf("%s: VerifyWebhook = %v; want %v", tt.name, err, tt.want)
		}
	}
	if err := notify.VerifyWebhook("whsec_c2hvcnQ=", vectorHeader(), []byte(vectorBody), now, 0); err == nil {
		t.Error("VerifyWebhook with a 5-byte secret = nil; want an error about the secret")
	}
}

func withHeader(h http.Header, key, value string) http.Header {
	h.Set(key, value)
	return h
}

func TestWebhookSendIsSignedAndVerifies(t *testing.T) {
	srv, deliveries := startReceiver(t, vectorSecret, testNow.Add(30*time.Second), http.StatusNoContent)
	m := testMessage()
	m.Recipient.WebhookURL = srv.URL + "/hooks/docket?token=abc"

	id, err := newWebhook(vectorSecret, srv.Client()).Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if id != m.ID {
		t.Errorf("Send = %q; want the webhook-id %q", id, m.ID)
	}
	got := deliveries()
	if len(got) != 1 {
		t.Fatalf("receiver got %d requests; want 1", len(got))
	}
	d := got[0]
	if d.Err != nil {
		t.Fatalf("VerifyWebhook at the receiver = %v", d.Err)
	}
	for _, h := range []struct{ name, want string }{
		{notify.HeaderWebhookID, m.ID},
		{notify.HeaderWebhookTimestamp, strconv.FormatInt(testNow.Unix(), 10)},
		{"Content-Type", "application/json"},
	} {
		if v := d.Header.Get(h.name); v != h.want {
			t.Errorf("header %s = %q; want %q", h.name, v, h.want)
		}
	}
	if sig := d.Header.Get(notify.HeaderWebhookSignature); !strings.HasPrefix(sig, "v1,") {
		t.Errorf("webhook-signature = %q; want v1,<base64>", sig)
	}

	var body struct {
		Type      string    `json:"type"`
		Timestamp time.Time `json:"timestamp"`
		Data      struct {
			ID, Kind, CaseID, ItemID, PartyID, Subject string
			Details                                    []notify.Detail
			Payload                                    map[string]string
		} `json:"data"`
	}
	if err := json.Unmarshal(d.Body, &body); err != nil {
		t.Fatalf("body %s: %v", d.Body, err)
	}
	if body.Type != "docket.reminder" || !body.Timestamp.Equal(m.DueAt) {
		t.Errorf("type, timestamp = %q, %v; want docket.reminder, %v", body.Type, body.Timestamp, m.DueAt)
	}
	data := body.Data
	if data.ID != m.ID || data.Kind != "reminder" || data.Subject != m.Subject || len(data.Details) != 2 ||
		data.Payload["start"] != "2025-03-04T17:30:00Z" {
		t.Errorf("data = %+v; want the message's fields", data)
	}
	// encoding/json ignores case when matching, so check the wire names themselves.
	for _, key := range []string{`"case_id":"case-2025-cv-0042"`, `"item_id":"hearing-7"`, `"party_id":"party-ana"`,
		`Smith & Jones <Motion to compel>`} {
		if !strings.Contains(string(d.Body), key) {
			t.Errorf("body lacks %s: %s", key, d.Body)
		}
	}

	// The same delivery replayed ten minutes later is refused as stale.
	err = notify.VerifyWebhook(vectorSecret, d.Header, d.Body, testNow.Add(10*time.Minute), 0)
	if !errors.Is(err, notify.ErrWebhookTimestamp) {
		t.Errorf("VerifyWebhook(replayed) = %v; want ErrWebhookTimestamp", err)
	}
	// A body changed in transit no longer verifies.
	tampered := []byte(strings.Replace(string(d.Body), "Courtroom 4B", "Courtroom 9Z", 1))
	err = notify.VerifyWebhook(vectorSecret, d.Header, tampered, testNow, 0)
	if !errors.Is(err, notify.ErrWebhookSignature) {
		t.Errorf("VerifyWebhook(tampered) = %v; want ErrWebhookSignature", err)
	}
	// Another secret does not verify it either.
	err = notify.VerifyWebhook("whsec_"+strings.Repeat("QUJD", 8), d.Header, d.Body, testNow, 0)
	if !errors.Is(err, notify.ErrWebhookSignature) {
		t.Errorf("VerifyWebhook(other secret) = %v; want ErrWebhookSignature", err)
	}
}

func TestWebhookRetriesCarryTheSameBody(t *testing.T) {
	srv, deliveries := startReceiver(t, vectorSecret, testNow.Add(time.Minute), http.StatusOK)
	m := testMessage()
	m.Recipient.WebhookURL = srv.URL
	w := newWebhook(vectorSecret, srv.Client())
	for i := range 2 {
		w.Now = func() time.Time { return testNow.Add(time.Duration(i) * time.Minute) }
		if _, err := w.Send(context.Background(), m); err != nil {
			t.Fatalf("Send #%d: %v", i, err)
		}
	}
	got := deliveries()
	if len(got) != 2 || string(got[0].Body) != string(got[1].Body) {
		t.Fatalf("bodies differ between attempts: %q", got)
	}
	if got[0].Header.Get(notify.HeaderWebhookID) != got[1].Header.Get(notify.HeaderWebhookID) {
		t.Error("webhook-id differs between attempts; receivers need it stable to deduplicate")
	}
	if got[1].Err != nil {
		t.Errorf("second attempt, signed at its own time, = %v; want it to verify", got[1].Err)
	}
}

func TestWebhookStatusClasses(t *testing.T) {
	tests := []struct {
		status    int
		permanent bool
	}{
		{http.StatusBadRequest, true},
		{http.StatusNotFound, true},
		{http.StatusGone, true},
		{http.StatusRequestTimeout, false},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
		{http.StatusBadGateway, false},
		{http.StatusFound, false},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.status), func(t *testing.T) {
			redirected := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/elsewhere" {
					redirected++
					return
				}
				if tt.status == http.StatusFound {
					http.Redirect(w, r, "/elsewhere", tt.status)
					return
				}
				w.WriteHeader(tt.status)
			}))
			defer srv.Close()
			m := testMessage()
			m.Recipient.WebhookURL = srv.URL + "/hook?token=very-secret"
			_, err := newWebhook(vectorSecret, srv.Client()).Send(context.Background(), m)
			if err == nil {
				t.Fatalf("Send got %d and succeeded; want an error", tt.status)
			}
			if got := notify.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v; want %v", err, got, tt.permanent)
			}
			if strings.Contains(err.Error(), "very-secret") {
				t.Errorf("error %q leaks the webhook URL's token", err)
			}
			if redirected != 0 {
				t.Errorf("redirect was followed %d times; want 0", redirected)
			}
		})
	}
}

func TestWebhookUnreachableIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	m := testMessage()
	m.Recipient.WebhookURL = srv.URL
	_, err := newWebhook(vectorSecret, http.DefaultClient).Send(context.Background(), m)
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("Send to a closed server = %v; want a retryable error", err)
	}
}

func TestWebhookRejectsBadInputPermanently(t *testing.T) {
	w := newWebhook(vectorSecret, http.DefaultClient)
	tests := []struct {
		name   string
		change func(*notify.Message)
	}{
		{"no url", func(m *notify.Message) { m.Recipient.WebhookURL = "" }},
		{"not http", func(m *notify.Message) { m.Recipient.WebhookURL = "ftp://example.com/x" }},
		{"payload not an object", func(m *notify.Message) { m.Payload = json.RawMessage(`[1,2]`) }},
		{"payload not json", func(m *notify.Message) { m.Payload = json.RawMessage(`{"a":`) }},
	}
	for _, tt := range tests {
		m := testMessage()
		tt.change(&m)
		if _, err := w.Send(context.Background(), m); !notify.IsPermanent(err) {
			t.Errorf("%s: Send = %v; want a permanent error", tt.name, err)
		}
	}
}

func TestParseWebhookSecret(t *testing.T) {
	tests := []struct {
		secret string
		ok     bool
	}{
		{vectorSecret, true},
		{strings.TrimPrefix(vectorSecret, "whsec_"), true},
		{"whsec_not base64!", false},
		{"whsec_c2hvcnQ=", false}, // "short": under 24 bytes
		{"", false},
	}
	for _, tt := range tests {
		_, err := notify.ParseWebhookSecret(tt.secret)
		if (err == nil) != tt.ok {
			t.Errorf("ParseWebhookSecret(%q) = %v; want ok=%v", tt.secret, err, tt.ok)
		}
	}
}

// A receiver checks each request against the raw body, before decoding it, with its own
// clock; the sender here is Docket's Webhook sender posting one reminder.
func ExampleVerifyWebhook() {
	const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if err := notify.VerifyWebhook(secret, r.Header, body, time.Now(), 0); err != nil {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		// webhook-id is the idempotency key: a receiver drops ids it has already processed.
		fmt.Println("verified", r.Header.Get("webhook-id"))
		w.WriteHeader(http.StatusNoContent)
	}))
	defer receiver.Close()

	sender := notify.NewWebhook(secret, receiver.Client())
	_, err := sender.Send(context.Background(), notify.Message{
		ID:        "rem_7f3a9c2e41d0b6a8",
		Kind:      notify.KindReminder,
		Recipient: notify.Recipient{PartyID: "party-ana", WebhookURL: receiver.URL},
		Subject:   "Hearing tomorrow: Smith v. Jones",
	})
	fmt.Println("send error:", err)
	// Output:
	// verified rem_7f3a9c2e41d0b6a8
	// send error: <nil>
}
