// Package notify delivers reminders, change notices and agendas to parties by email, SMS and
// signed webhook, or into an outbox directory when no provider is configured.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Kind says what a Message is for; it picks the webhook event type and the wording of the
// templates.
type Kind string

// Message kinds.
const (
	KindReminder     Kind = "reminder"
	KindChangeNotice Kind = "change_notice"
	KindAgenda       Kind = "agenda"
)

// Channel names, as parties and reminder policies spell them.
const (
	ChannelEmail   = "email"
	ChannelSMS     = "sms"
	ChannelWebhook = "webhook"
)

// Message is one reminder, change notice or agenda for one recipient on one channel. Every
// sender renders the same Message, so a planner fills it once and picks the channel later.
type Message struct {
	// ID is the deterministic reminder id. It becomes the Message-ID, the webhook-id and the
	// outbox file name, so it must match [A-Za-z0-9_-]{1,128}: no dots (the Standard Webhooks
	// signature is "id.timestamp.body") and nothing a file system would mind.
	ID        string
	Kind      Kind
	CaseID    string
	ItemID    string
	Recipient Recipient

	// Subject is the email subject and the webhook's headline.
	Subject string
	// Text is the plain body; blank lines separate paragraphs in the HTML rendering.
	Text string
	// Details are labelled facts ("When", "Where", "Was", "Now", or one line per agenda item)
	// shown as a table in HTML and as "Label: Value" lines in text and webhooks.
	Details []Detail
	// SMS is the short text for SMS; Subject is used when it is empty. It is cut to
	// MaxSMSLength.
	SMS string
	// ICS is an optional iCalendar attachment for email.
	ICS []byte
	// ICSName is the attachment's file name; defaults to "event.ics".
	ICSName string
	// DueAt is when the message was due to go out. Webhooks send it as the event timestamp so
	// that a retried delivery carries the same body.
	DueAt time.Time
	// Payload is an optional JSON object for webhook receivers (the item as the API shows it),
	// sent as data.payload.
	Payload json.RawMessage
}

// Detail is one labelled line of a Message.
type Detail struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// Recipient is the party a Message goes to, with an address per channel.
type Recipient struct {
	PartyID string
	Name    string
	Email   string
	// Phone is in E.164 form, e.g. +14155550123.
	Phone      string
	WebhookURL string
}

// ErrNoAddress is returned, wrapped as a permanent error, when a recipient has no usable
// address for a channel; planners report such reminders as undeliverable.
var ErrNoAddress = errors.New("no usable address")

// ErrUnknownChannel is returned, wrapped as a permanent error, for a channel name other than
// email, sms or webhook, or one that Channels has no Sender for.
var ErrUnknownChannel = errors.New("unknown channel")

var (
	idPattern    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	e164Pattern  = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)
	errInvalidID = errors.New("message id must match [A-Za-z0-9_-]{1,128}")
)

// Address returns the recipient's address for channel, or an error wrapping ErrNoAddress (or
// ErrUnknownChannel) when there is none that a provider would accept. Planners call it to
// mark undeliverable reminders before anything is sent.
func (r Recipient) Address(channel string) (string, error) {
	switch channel {
	case ChannelEmail:
		if r.Email == "" {
			return "", fmt.Errorf("party %s has no email: %w", r.PartyID, ErrNoAddress)
		}
		a, err := mail.ParseAddress(r.Email)
		if err != nil || a.Address != r.Email {
			// A display name or comment in the field would be dropped silently; refuse it so
			// the party's data gets fixed instead.
			return "", fmt.Errorf("party %s email %q: %w", r.PartyID, r.Email, ErrNoAddress)
		}
		return a.Address, nil
	case ChannelSMS:
		if r.Phone == "" {
			return "", fmt.Errorf("party %s has no phone: %w", r.PartyID, ErrNoAddress)
		}
		if !e164Pattern.MatchString(r.Phone) {
			return "", fmt.Errorf("party %s phone %q is not E.164: %w", r.PartyID, r.Phone, ErrNoAddress)
		}
		return r.Phone, nil
	case ChannelWebhook:
		if r.WebhookURL == "" {
			return "", fmt.Errorf("party %s has no webhook URL: %w", r.PartyID, ErrNoAddress)
		}
		u, err := url.Parse(r.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return "", fmt.Errorf("party %s webhook URL %q: %w", r.PartyID, r.WebhookURL, ErrNoAddress)
		}
		return u.String(), nil
	}
	return "", fmt.Errorf("%q: %w", channel, ErrUnknownChannel)
}

// validate checks what every channel relies on, so a bad message fails before any I/O.
func (m Message) validate() error {
	if !idPattern.MatchString(m.ID) {
		return fmt.Errorf("message %q: %w", m.ID, errInvalidID)
	}
	switch m.Kind {
	case KindReminder, KindChangeNotice, KindAgenda:
	default:
		return fmt.Errorf("message %s: unknown kind %q", m.ID, m.Kind)
	}
	return nil
}

// subjectLine returns the subject on one line, since header folding is the mail library's job
// and a newline from user data must not end up in a header.
func (m Message) subjectLine() string {
	return strings.Join(strings.Fields(m.Subject), " ")
}

// Sender delivers a Message on one channel and returns the provider's id for it.
type Sender interface {
	Send(ctx context.Context, m Message) (providerID string, err error)
}

// permanentError marks an error that retrying cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// Permanent marks err as one that retrying will not fix (an SMTP 5xx reply, an HTTP 4xx, a
// missing address); it returns nil for nil.
func Permanent(err error) error {
	if err == nil || IsPermanent(err) {
		return err
	}
	return &permanentError{err}
}

// IsPermanent reports whether err, or any error it wraps, was marked by Permanent. Any other
// error (timeouts, refused connections, SMTP 4xx, HTTP 5xx) is worth retrying.
func IsPermanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p)
}
