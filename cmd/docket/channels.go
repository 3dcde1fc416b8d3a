package main

import (
	"flag"
	"fmt"
	"net/http"
	"path/filepath"
	"time"

	"github.com/docket/docket/notify"
)

// ChannelConfig holds the delivery settings; an unset provider means its messages go to the
// outbox directory instead, so nothing is lost and a newcomer sees what would be sent.
type ChannelConfig struct {
	SMTP          notify.SMTPConfig
	Twilio        notify.TwilioConfig
	WebhookSecret string
}

func (c *ChannelConfig) flags(fs *flag.FlagSet) {
	fs.StringVar(&c.SMTP.Addr, "smtp-addr", "", "SMTP server host:port (unset: email goes to <data>/outbox)")
	fs.StringVar(&c.SMTP.User, "smtp-user", "", "SMTP user")
	fs.StringVar(&c.SMTP.Password, "smtp-password", "", "SMTP password")
	fs.StringVar(&c.SMTP.TLS, "smtp-tls", notify.TLSStartTLS, "SMTP TLS: none, starttls or tls")
	fs.StringVar(&c.SMTP.From, "mail-from", "", `sender address, e.g. "Docket <docket@firm.example>"`)
	fs.StringVar(&c.Twilio.BaseURL, "twilio-base-url", notify.DefaultTwilioBaseURL, "Twilio API base URL")
	fs.StringVar(&c.Twilio.AccountSID, "twilio-account-sid", "", "Twilio account SID (unset: SMS goes to <data>/outbox)")
	fs.StringVar(&c.Twilio.AuthToken, "twilio-auth-token", "", "Twilio auth token")
	fs.StringVar(&c.Twilio.From, "twilio-from", "", "Twilio sending number (E.164)")
	fs.StringVar(&c.WebhookSecret, "webhook-secret", "", "Standard Webhooks signing secret, whsec_<base64> (unset: webhooks go to <data>/outbox)")
}

// channels builds the senders: real providers where configured, the outbox elsewhere.
func (c ChannelConfig) channels(dataDir string) (notify.Channels, error) {
	ob := notify.NewOutbox(filepath.Join(dataDir, "outbox"))
	if c.SMTP.From != "" {
		ob.From = c.SMTP.From
	}
	ob.SMSFrom = c.Twilio.From
	ch := notify.Channels{Email: ob.Email(), SMS: ob.SMS(), Webhook: ob.Webhook()}
	if c.SMTP.Addr != "" {
		if err := c.SMTP.Validate(); err != nil {
			return ch, fmt.Errorf("smtp: %w", err)
		}
		ch.Email = notify.NewSMTP(c.SMTP)
	}
	if c.Twilio.AccountSID != "" || c.Twilio.AuthToken != "" {
		c.Twilio.Client = &http.Client{Timeout: 30 * time.Second}
		if err := c.Twilio.Validate(); err != nil {
			return ch, fmt.Errorf("twilio: %w", err)
		}
		ch.SMS = notify.NewTwilio(c.Twilio)
	}
	if c.WebhookSecret != "" {
		if _, err := notify.ParseWebhookSecret(c.WebhookSecret); err != nil {
			return ch, fmt.Errorf("webhook secret: %w", err)
		}
		ch.Webhook = notify.NewWebhook(c.WebhookSecret, &http.Client{Timeout: 30 * time.Second})
	}
	return ch, nil
}

// where describes the channels for the start-up log.
func (c ChannelConfig) where(dataDir string) []any {
	out := filepath.Join(dataDir, "outbox")
	email, sms, hook := out, out, out
	if c.SMTP.Addr != "" {
		email = "smtp://" + c.SMTP.Addr
	}
	if c.Twilio.AccountSID != "" {
		sms = c.Twilio.BaseURL
	}
	if c.WebhookSecret != "" {
		hook = "signed POST"
	}
	return []any{"email", email, "sms", sms, "webhook", hook}
}
