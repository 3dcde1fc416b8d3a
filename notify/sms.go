package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxSMSLength is the longest SMS body sent, in UTF-16 code units as Twilio counts them, so a
// reminder stays within a few segments whatever the alphabet.
const MaxSMSLength = 320

// DefaultTwilioBaseURL is Twilio's API root, used when TwilioConfig.BaseURL is empty.
const DefaultTwilioBaseURL = "https://api.twilio.com"

// TwilioConfig holds the settings of the Twilio Messages API (DOCKET_TWILIO_BASE_URL,
// DOCKET_TWILIO_ACCOUNT_SID, DOCKET_TWILIO_AUTH_TOKEN, DOCKET_TWILIO_FROM).
type TwilioConfig struct {
	// BaseURL defaults to DefaultTwilioBaseURL; tests and regional endpoints replace it.
	BaseURL    string
	AccountSID string
	AuthToken  string
	// From is the sending number in E.164 form (or an alphanumeric sender id).
	From string
	// Client defaults to an http.Client with a 30-second timeout.
	Client *http.Client
}

// Validate reports the first setting that NewTwilio would reject, naming it.
func (c TwilioConfig) Validate() error {
	switch {
	case c.AccountSID == "":
		return errors.New("twilio account sid: required")
	case c.AuthToken == "":
		return errors.New("twilio auth token: required")
	case c.From == "":
		return errors.New("twilio from: required")
	}
	if c.BaseURL != "" {
		u, err := url.Parse(c.BaseURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("twilio base url %q: want http(s)://host", c.BaseURL)
		}
	}
	return nil
}

// Twilio sends messages as SMS through the Twilio Messages API. It is safe for concurrent use.
type Twilio struct {
	cfg      TwilioConfig
	endpoint string
	client   *http.Client
}

// NewTwilio returns a Twilio sender; it panics on a configuration that Validate rejects.
func NewTwilio(cfg TwilioConfig) *Twilio {
	if err := cfg.Validate(); err != nil {
		panic("notify.NewTwilio: " + err.Error())
	}
	base := cfg.BaseURL
	if base == "" {
		base = DefaultTwilioBaseURL
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	endpoint := strings.TrimRight(base, "/") + "/2010-04-01/Accounts/" +
		url.PathEscape(cfg.AccountSID) + "/Messages.json"
	return &Twilio{cfg: cfg, endpoint: endpoint, client: client}
}

// Send posts m's SMS text to m.Recipient.Phone and returns Twilio's message sid. A 4xx other
// than 408 and 429 is permanent; 5xx, 408, 429 and network errors are retryable.
func (t *Twilio) Send(ctx context.Context, m Message) (string, error) {
	if err := m.validate(); err != nil {
		return "", Permanent(err)
	}
	to, err := m.Recipient.Address(ChannelSMS)
	if err != nil {
		return "", Permanent(fmt.Errorf("sms %s: %w", m.ID, err))
	}
	body := smsText(m)
	if body == "" {
		return "", Permanent(fmt.Errorf("sms %s: empty text", m.ID))
	}
	form := url.Values{"To": {to}, "From": {t.cfg.From}, "Body": {body}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, t.endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return "", Permanent(fmt.Errorf("sms %s: %w", m.ID, err))
	}
	req.SetBasicAuth(t.cfg.AccountSID, t.cfg.AuthToken)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := t.client.Do(req)
	if err != nil {
		return "", fmt.Errorf("sms %s: %w", m.ID, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		// Twilio has accepted the message: even an unreadable body must not cause a resend, so
		// a missing sid is reported as an empty provider id rather than an error.
		var out struct {
			SID string `json:"sid"`
		}
		if err == nil {
			_ = json.Unmarshal(raw, &out)
		}
		return out.SID, nil
	}
	te := &TwilioError{Status: resp.StatusCode}
	_ = json.Unmarshal(raw, te) // a proxy's HTML error page still leaves the status
	err = fmt.Errorf("sms %s: %w", m.ID, te)
	if permanentStatus(resp.StatusCode) {
		return "", Permanent(err)
	}
	return "", err
}

// TwilioError is an error reply from Twilio; Code is Twilio's error code (e.g. 21211 for an
// invalid 'To' number, 21610 for a recipient who replied STOP).
type TwilioError struct {
	Status  int    `json:"-"`
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// Error implements the error interface.
func (e *TwilioError) Error() string {
	if e.Code == 0 && e.Message == "" {
		return fmt.Sprintf("twilio: http %d", e.Status)
	}
	return fmt.Sprintf("twilio: http %d: error %d: %s", e.Status, e.Code, e.Message)
}

// permanentStatus reports whether an HTTP status says the request itself is wrong. 408 and
// 429 are the exceptions: they say "not now", not "never".
func permanentStatus(code int) bool {
	return code >= 400 && code < 500 && code != http.StatusRequestTimeout && code != http.StatusTooManyRequests
}

// smsText is the body an SMS carries: the SMS text, else the subject, cut to MaxSMSLength.
func smsText(m Message) string {
	s := strings.TrimSpace(m.SMS)
	if s == "" {
		s = m.subjectLine()
	}
	return truncateSMS(strings.ToValidUTF8(s, "\uFFFD"), MaxSMSLength)
}

// truncateSMS cuts s to at most limit UTF-16 code units, on a rune boundary, ending in "…"
// so the reader knows the text was cut.
func truncateSMS(s string, limit int) string {
	if utf16Len(s) <= limit {
		return s
	}
	const ellipsis = '…' // one code unit
	budget := limit - utf16.RuneLen(ellipsis)
	n := 0
	for i, r := range s {
		w := utf16.RuneLen(r)
		if n+w > budget {
			return strings.TrimRightFunc(s[:i], unicode.IsSpace) + string(ellipsis)
		}
		n += w
	}
	return s
}

func utf16Len(s string) int {
	n := 0
	for len(s) > 0 {
		r, size := utf8.DecodeRuneInString(s)
		n += utf16.RuneLen(r)
		s = s[size:]
	}
	return n
}
