package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Outbox writes messages to files instead of sending them, so that a Docket without SMTP or
// Twilio settings still shows exactly what it would have sent: <id>.eml for email (the full
// RFC 5322 message SMTP would carry) and <id>.json for SMS and webhooks. It is safe for
// concurrent use.
type Outbox struct {
	dir string

	// From is the sender in .eml files; defaults to "Docket <docket@localhost>". Set it to
	// DOCKET_MAIL_FROM when that is configured.
	From string
	// SMSFrom is the sending number shown in SMS files (DOCKET_TWILIO_FROM), if any.
	SMSFrom string
	// Now stamps Date headers and webhook timestamps; defaults to time.Now. Tests replace it.
	Now func() time.Time
}

// NewOutbox returns an Outbox writing under dir, which is created on first use; it panics on
// an empty dir.
func NewOutbox(dir string) *Outbox {
	if dir == "" {
		panic("notify.NewOutbox: empty dir")
	}
	return &Outbox{dir: dir, From: "Docket <docket@localhost>", Now: time.Now}
}

// Dir returns the directory the outbox writes to.
func (o *Outbox) Dir() string { return o.dir }

// Email returns a Sender that writes <id>.eml.
func (o *Outbox) Email() Sender { return outboxSender{o, ChannelEmail} }

// SMS returns a Sender that writes <id>.json with the SMS Twilio would have received.
func (o *Outbox) SMS() Sender { return outboxSender{o, ChannelSMS} }

// Webhook returns a Sender that writes <id>.json with the URL and the unsigned webhook body
// (there is no secret to sign with when webhooks go to the outbox).
func (o *Outbox) Webhook() Sender { return outboxSender{o, ChannelWebhook} }

type outboxSender struct {
	o       *Outbox
	channel string
}

// outboxFile is the JSON written for SMS and webhook messages.
type outboxFile struct {
	Channel string `json:"channel"`
	ID      string `json:"id"`
	Kind    Kind   `json:"kind"`
	CaseID  string `json:"case_id,omitempty"`
	ItemID  string `json:"item_id,omitempty"`
	PartyID string `json:"party_id,omitempty"`
	To      string `json:"to,omitempty"`
	From    string `json:"from,omitempty"`
	URL     string `json:"url,omitempty"`
	// Body is the SMS text, or the webhook's JSON body as an object.
	Body any `json:"body"`
}

// Send writes m and returns the file's path as the provider id. A message whose file already
// exists is not written again, so a retried or duplicated send leaves the first file alone.
func (s outboxSender) Send(ctx context.Context, m Message) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := m.validate(); err != nil {
		return "", Permanent(err)
	}
	o := s.o
	switch s.channel {
	case ChannelEmail:
		msg, err := buildMail(o.From, o.Now(), m)
		if err != nil {
			return "", err
		}
		return o.write(m.ID+".eml", func(w io.Writer) error {
			_, err := msg.WriteTo(w)
			return err
		})
	case ChannelSMS:
		to, err := m.Recipient.Address(ChannelSMS)
		if err != nil {
			return "", Permanent(fmt.Errorf("sms %s: %w", m.ID, err))
		}
		f := newOutboxFile(ChannelSMS, m)
		f.To, f.From, f.Body = to, o.SMSFrom, smsText(m)
		return o.writeJSON(m.ID, f)
	default:
		target, err := m.Recipient.Address(ChannelWebhook)
		if err != nil {
			return "", Permanent(fmt.Errorf("webhook %s: %w", m.ID, err))
		}
		body, err := webhookBody(m, o.Now())
		if err != nil {
			return "", Permanent(fmt.Errorf("webhook %s: %w", m.ID, err))
		}
		f := newOutboxFile(ChannelWebhook, m)
		f.URL, f.Body = target, json.RawMessage(body)
		return o.writeJSON(m.ID, f)
	}
}

func newOutboxFile(channel string, m Message) outboxFile {
	return outboxFile{Channel: channel, ID: m.ID, Kind: m.Kind, CaseID: m.CaseID, ItemID: m.ItemID,
		PartyID: m.Recipient.PartyID}
}

func (o *Outbox) writeJSON(id string, f outboxFile) (string, error) {
	b, err := marshalJSON(f, "  ")
	if err != nil {
		return "", Permanent(fmt.Errorf("outbox %s: %w", id, err))
	}
	return o.write(id+".json", func(w io.Writer) error {
		_, err := w.Write(append(b, '\n'))
		return err
	})
}

// write creates name in the outbox through a temporary file and a rename, so that a reader
// (or a crash) never sees half a message.
func (o *Outbox) write(name string, fill func(io.Writer) error) (string, error) {
	final := filepath.Join(o.dir, name)
	if _, err := os.Stat(final); err == nil {
		return final, nil
	} else if !errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("outbox %s: %w", name, err)
	}
	if err := os.MkdirAll(o.dir, 0o750); err != nil {
		return "", fmt.Errorf("outbox %s: %w", name, err)
	}
	// The dot keeps the partial file out of "*.eml" and "*.json" globs.
	tmp, err := os.CreateTemp(o.dir, "."+name+".*.tmp")
	if err != nil {
		return "", fmt.Errorf("outbox %s: %w", name, err)
	}
	err = fill(tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), final)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("outbox %s: %w", name, err)
	}
	return final, nil
}

// Channels routes a message to the Sender for a channel name, so the worker needs no switch
// of its own and real providers and the outbox can be mixed per channel.
type Channels struct {
	Email, SMS, Webhook Sender
}

// Send checks that m's recipient has a usable address for channel and hands m to that
// channel's Sender. A missing address is a permanent error wrapping ErrNoAddress; an unknown
// channel, or one without a Sender, is a permanent error wrapping ErrUnknownChannel.
func (c Channels) Send(ctx context.Context, channel string, m Message) (string, error) {
	if _, err := m.Recipient.Address(channel); err != nil {
		return "", Permanent(fmt.Errorf("%s %s: %w", channel, m.ID, err))
	}
	var s Sender
	switch channel {
	case ChannelEmail:
		s = c.Email
	case ChannelSMS:
		s = c.SMS
	case ChannelWebhook:
		s = c.Webhook
	}
	if s == nil {
		return "", Permanent(fmt.Errorf("%s %s: channel not configured: %w", channel, m.ID, ErrUnknownChannel))
	}
	return s.Send(ctx, m)
}
