package notify_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/docket/docket/notify"
)

// twilioAPI is an httptest server shaped like Twilio's Messages API. The recipient number
// picks the reply, the way Twilio's magic test numbers do.
type twilioAPI struct {
	*httptest.Server
	mu    sync.Mutex
	forms []url.Values
}

const (
	testSID   = "AC0123456789abcdef0123456789abcdef"
	testToken = "tok_secret"
	testFrom  = "+15005550006"
)

func startTwilio(t *testing.T) *twilioAPI {
	t.Helper()
	api := &twilioAPI{}
	api.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+testSID+"/Messages.json" {
			t.Errorf("request %s %s; want POST /2010-04-01/Accounts/%s/Messages.json", r.Method, r.URL.Path, testSID)
			http.NotFound(w, r)
			return
		}
		if user, pass, ok := r.BasicAuth(); !ok || user != testSID || pass != testToken {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"code":20003,"message":"Authenticate","more_info":"https://www.twilio.com/docs/errors/20003","status":401}`))
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
			t.Errorf("Content-Type = %q; want a form", ct)
		}
		if err := r.ParseForm(); err != nil {
			t.Errorf("ParseForm: %v", err)
		}
		api.mu.Lock()
		api.forms = append(api.forms, r.PostForm)
		api.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		switch r.PostForm.Get("To") {
		case "+15005550001":
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"code":21211,"message":"The 'To' number +15005550001 is not a valid phone number.","more_info":"https://www.twilio.com/docs/errors/21211","status":400}`))
		case "+15005550002":
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte(`{"code":20500,"message":"Internal Server Error","status":500}`))
		case "+15005550003":
			w.WriteHeader(http.StatusTooManyRequests)
			w.Write([]byte(`{"code":20429,"message":"Too Many Requests","status":429}`))
		default:
			w.WriteHeader(http.StatusCreated)
			w.Write([]byte(`{"sid":"SM1f0e8ae6ade43cb3c0ce4525424e404f","status":"queued","to":"` + r.PostForm.Get("To") + `"}`))
		}
	}))
	t.Cleanup(api.Close)
	return api
}

func (a *twilioAPI) received() []url.Values {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]url.Values(nil), a.forms...)
}

func newTwilio(api *twilioAPI) *notify.Twilio {
	return notify.NewTwilio(notify.TwilioConfig{BaseURL: api.URL + "/", AccountSID: testSID,
		AuthToken: testToken, From: testFrom, Client: api.Client()})
}

func TestTwilioSends(t *testing.T) {
	api := startTwilio(t)
	m := testMessage()
	sid, err := newTwilio(api).Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if sid != "SM1f0e8ae6ade43cb3c0ce4525424e404f" {
		t.Errorf("Send = %q; want Twilio's sid", sid)
	}
	forms := api.received()
	if len(forms) != 1 {
		t.Fatalf("Twilio received %d requests; want 1", len(forms))
	}
	want := url.Values{"To": {"+14155550123"}, "From": {testFrom}, "Body": {m.SMS}}
	for k := range want {
		if forms[0].Get(k) != want.Get(k) {
			t.Errorf("form %s = %q; want %q", k, forms[0].Get(k), want.Get(k))
		}
	}
	if len(forms[0]) != len(want) {
		t.Errorf("form = %v; want only To, From and Body", forms[0])
	}
}

func TestTwilioErrorClasses(t *testing.T) {
	api := startTwilio(t)
	tests := []struct {
		to        string
		permanent bool
		status    int
		code      int
	}{
		{"+15005550001", true, 400, 21211},
		{"+15005550002", false, 500, 20500},
		{"+15005550003", false, 429, 20429},
	}
	for _, tt := range tests {
		m := testMessage()
		m.Recipient.Phone = tt.to
		_, err := newTwilio(api).Send(context.Background(), m)
		if err == nil {
			t.Errorf("Send to %s succeeded; want an error", tt.to)
			continue
		}
		if got := notify.IsPermanent(err); got != tt.permanent {
			t.Errorf("IsPermanent(%v) = %v; want %v", err, got, tt.permanent)
		}
		var te *notify.TwilioError
		if !errors.As(err, &te) || te.Status != tt.status || te.Code != tt.code {
			t.Errorf("Send to %s = %v; want a TwilioError with status %d code %d", tt.to, err, tt.status, tt.code)
		}
	}

	bad := notify.NewTwilio(notify.TwilioConfig{BaseURL: api.URL, AccountSID: testSID, AuthToken: "wrong",
		From: testFrom, Client: api.Client()})
	if _, err := bad.Send(context.Background(), testMessage()); !notify.IsPermanent(err) {
		t.Errorf("Send with a wrong token = %v; want a permanent error", err)
	}
}

func TestTwilioTimeoutAndRefusalAreRetryable(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(slow.Close)
	t.Cleanup(func() { close(release) })

	// The client's timeout stands in for a provider that never answers; nothing sleeps.
	client := slow.Client()
	client.Timeout = 50 * time.Millisecond
	tw := notify.NewTwilio(notify.TwilioConfig{BaseURL: slow.URL, AccountSID: testSID, AuthToken: testToken,
		From: testFrom, Client: client})
	if _, err := tw.Send(context.Background(), testMessage()); err == nil || notify.IsPermanent(err) {
		t.Errorf("Send to a silent server = %v; want a retryable error", err)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tw = notify.NewTwilio(notify.TwilioConfig{BaseURL: closed.URL, AccountSID: testSID, AuthToken: testToken,
		From: testFrom})
	if _, err := tw.Send(context.Background(), testMessage()); err == nil || notify.IsPermanent(err) {
		t.Errorf("Send to a closed server = %v; want a retryable error", err)
	}
}

func TestTwilioTruncatesOnRuneBoundary(t *testing.T) {
	api := startTwilio(t)
	tests := []struct {
		name string
		sms  string
		cut  bool
	}{
		{"short", "Hearing tomorrow 09:30.", false},
		{"exactly the limit", strings.Repeat("a", notify.MaxSMSLength), false},
		{"ascii", strings.Repeat("abcd ", 100), true},
		{"accented", strings.Repeat("é", 400), true},
		{"astral", strings.Repeat("⚖️📅", 200), true},
		{"subject fallback", "", false},
	}
	for _, tt := range tests {
		m := testMessage()
		m.SMS = tt.sms
		if _, err := newTwilio(api).Send(context.Background(), m); err != nil {
			t.Fatalf("%s: Send: %v", tt.name, err)
		}
		forms := api.received()
		body := forms[len(forms)-1].Get("Body")
		if !utf8.ValidString(body) {
			t.Errorf("%s: body is not valid UTF-8: %q", tt.name, body)
		}
		if n := len(utf16.Encode([]rune(body))); n > notify.MaxSMSLength {
			t.Errorf("%s: body is %d UTF-16 units; want at most %d", tt.name, n, notify.MaxSMSLength)
		}
		want := tt.sms
		if want == "" {
			want = m.Subject
		}
		if !tt.cut {
			if body != want {
				t.Errorf("%s: body = %q; want %q", tt.name, body, want)
			}
			continue
		}
		prefix, ok := strings.CutSuffix(body, "…")
		if !ok || !strings.HasPrefix(want, prefix) || len(prefix) == 0 {
			t.Errorf("%s: body = %q; want a prefix of the text ending in …", tt.name, body)
		}
	}
}

func TestTwilioRejectsBadPhonePermanently(t *testing.T) {
	api := startTwilio(t)
	for _, phone := range []string{"", "4155550123", "+1 415 555 0123", "+0123"} {
		m := testMessage()
		m.Recipient.Phone = phone
		_, err := newTwilio(api).Send(context.Background(), m)
		if !notify.IsPermanent(err) || !errors.Is(err, notify.ErrNoAddress) {
			t.Errorf("Send to phone %q = %v; want a permanent ErrNoAddress", phone, err)
		}
	}
	if n := len(api.received()); n != 0 {
		t.Errorf("Twilio received %d requests; want 0", n)
	}
}

func TestTwilioConfigValidate(t *testing.T) {
	ok := notify.TwilioConfig{AccountSID: testSID, AuthToken: testToken, From: testFrom}
	tests := []struct {
		name    string
		change  func(*notify.TwilioConfig)
		wantErr string
	}{
		{"valid", func(*notify.TwilioConfig) {}, ""},
		{"no sid", func(c *notify.TwilioConfig) { c.AccountSID = "" }, "account sid"},
		{"no token", func(c *notify.TwilioConfig) { c.AuthToken = "" }, "auth token"},
		{"no from", func(c *notify.TwilioConfig) { c.From = "" }, "from"},
		{"bad base", func(c *notify.TwilioConfig) { c.BaseURL = "api.twilio.com" }, "base url"},
	}
	for _, tt := range tests {
		c := ok
		tt.change(&c)
		err := c.Validate()
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("%s: Validate() = %v; want nil", tt.name, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("%s: Validate() = %v; want an error naming %q", tt.name, err, tt.wantErr)
		}
	}
}
