package notify

import (
	"bytes"
	"context"
	"crypto/tls"
	"embed"
	"errors"
	"fmt"
	htemplate "html/template"
	"net"
	"net/mail"
	"net/textproto"
	"path"
	"strconv"
	"strings"
	ttemplate "text/template"
	"time"

	gomail "github.com/wneessen/go-mail"
)

//go:embed templates/email.txt.tmpl templates/email.html.tmpl
var templateFS embed.FS

// The templates are parsed at start-up so that a broken template fails every test, not the
// first reminder in production.
var (
	textTemplate = ttemplate.Must(ttemplate.ParseFS(templateFS, "templates/email.txt.tmpl"))
	htmlTemplate = htemplate.Must(htemplate.ParseFS(templateFS, "templates/email.html.tmpl"))
)

// icsContentType is what calendar clients look for to offer "add to calendar"; PUBLISH
// because Docket informs and expects no RSVP.
const icsContentType = "text/calendar; method=PUBLISH; charset=utf-8"

// SMTP TLS modes for SMTPConfig.TLS.
const (
	TLSNone     = "none"
	TLSStartTLS = "starttls"
	TLSImplicit = "tls"
)

// defaultSMTPTimeout bounds a whole SMTP conversation when the context has no deadline,
// since go-mail uses the context only while dialling.
const defaultSMTPTimeout = 30 * time.Second

// SMTPConfig holds the settings of an SMTP relay (DOCKET_SMTP_ADDR, DOCKET_SMTP_USER,
// DOCKET_SMTP_PASSWORD, DOCKET_SMTP_TLS, DOCKET_MAIL_FROM).
type SMTPConfig struct {
	// Addr is host:port; without a port, 25, 587 or 465 is used for none, starttls or tls.
	Addr string
	// User and Password enable SMTP AUTH (PLAIN or LOGIN, whichever the server offers).
	User     string
	Password string
	// TLS is "none", "starttls" (the default) or "tls" (implicit TLS, usually port 465).
	TLS string
	// From is the sender, e.g. "Docket <reminders@firm.example>".
	From string
	// TLSConfig is optional, for a private CA; its ServerName defaults to Addr's host.
	TLSConfig *tls.Config
}

// Validate reports the first setting that NewSMTP would reject, naming it.
func (c SMTPConfig) Validate() error {
	if _, _, err := c.hostPort(); err != nil {
		return err
	}
	switch c.TLS {
	case "", TLSNone, TLSStartTLS, TLSImplicit:
	default:
		return fmt.Errorf("smtp tls %q: want none, starttls or tls", c.TLS)
	}
	if c.From == "" {
		return errors.New("mail from: required")
	}
	if _, err := mail.ParseAddress(c.From); err != nil {
		return fmt.Errorf("mail from %q: %w", c.From, err)
	}
	if (c.User == "") != (c.Password == "") {
		return errors.New("smtp user and password: set both or neither")
	}
	return nil
}

func (c SMTPConfig) tlsMode() string {
	if c.TLS == "" {
		return TLSStartTLS
	}
	return c.TLS
}

func (c SMTPConfig) hostPort() (string, int, error) {
	if c.Addr == "" {
		return "", 0, errors.New("smtp addr: required")
	}
	host, portStr, err := net.SplitHostPort(c.Addr)
	if err != nil {
		// A bare host is common in configuration; the TLS mode implies the usual port.
		host, portStr = strings.Trim(c.Addr, "[]"), ""
	}
	if host == "" {
		return "", 0, fmt.Errorf("smtp addr %q: no host", c.Addr)
	}
	if portStr == "" {
		switch c.tlsMode() {
		case TLSNone:
			return host, gomail.DefaultPort, nil
		case TLSImplicit:
			return host, gomail.DefaultPortSSL, nil
		default:
			return host, gomail.DefaultPortTLS, nil
		}
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("smtp addr %q: bad port", c.Addr)
	}
	return host, port, nil
}

// SMTP sends messages as multipart email (text, HTML and the .ics attachment) through a relay.
// It is safe for concurrent use; each Send opens its own connection.
type SMTP struct {
	cfg  SMTPConfig
	host string
	port int

	// Now stamps the Date header; defaults to time.Now. Tests replace it.
	Now func() time.Time
}

// NewSMTP returns an SMTP sender; it panics on a configuration that Validate rejects, so a
// bad setting stops the process at start-up rather than failing every reminder.
func NewSMTP(cfg SMTPConfig) *SMTP {
	if err := cfg.Validate(); err != nil {
		panic("notify.NewSMTP: " + err.Error())
	}
	host, port, _ := cfg.hostPort()
	cfg.TLS = cfg.tlsMode()
	return &SMTP{cfg: cfg, host: host, port: port, Now: time.Now}
}

// Send delivers m to m.Recipient.Email and returns its Message-ID. SMTP 5xx replies are
// permanent; 4xx replies and network errors are not.
func (s *SMTP) Send(ctx context.Context, m Message) (string, error) {
	msg, err := buildMail(s.cfg.From, s.Now(), m)
	if err != nil {
		return "", err
	}
	timeout := defaultSMTPTimeout
	if dl, ok := ctx.Deadline(); ok {
		timeout = time.Until(dl)
		if timeout <= 0 {
			return "", fmt.Errorf("email %s: %w", m.ID, context.DeadlineExceeded)
		}
	}
	client, err := gomail.NewClient(s.host, s.options(timeout)...)
	if err != nil {
		return "", Permanent(fmt.Errorf("email %s: smtp client: %w", m.ID, err))
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if msg.IsDelivered() {
		// The relay accepted the message; a failed QUIT afterwards must not cause a resend.
		return messageID(m), nil
	}
	if err != nil {
		return "", classifySMTP(fmt.Errorf("email %s: %w", m.ID, err))
	}
	return messageID(m), nil
}

// options builds a fresh client configuration per send: go-mail's Client keeps per-connection
// state (the negotiated auth mechanism), so sharing one between concurrent sends would race.
func (s *SMTP) options(timeout time.Duration) []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.port), gomail.WithTimeout(timeout)}
	switch s.cfg.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.TLSConfig != nil {
		tc := s.cfg.TLSConfig.Clone()
		if tc.ServerName == "" {
			tc.ServerName = s.host
		}
		opts = append(opts, gomail.WithTLSConfig(tc))
	}
	if s.cfg.User != "" {
		// go-mail refuses PLAIN and LOGIN without TLS except to localhost, which is the
		// safety we want with TLS "none".
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.User), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// classifySMTP marks 5xx replies permanent, wherever in the conversation they came: a
// rejected recipient, a refused message or failed authentication will fail the same way again.
func classifySMTP(err error) error {
	code := 0
	var se *gomail.SendError
	if errors.As(err, &se) {
		code = se.ErrorCode()
		if code == 0 && (se.Reason == gomail.ErrGetSender || se.Reason == gomail.ErrGetRcpts) {
			return Permanent(err)
		}
	}
	if code == 0 {
		var te *textproto.Error
		if errors.As(err, &te) {
			code = te.Code
		}
	}
	if code >= 500 && code < 600 {
		return Permanent(err)
	}
	return err
}

// messageID is the Message-ID header's value. It is derived from the reminder id so that a
// resent reminder threads with the first and receivers can deduplicate it.
func messageID(m Message) string {
	return "<" + m.ID + "@docket>"
}

// emailView is what the templates see: the message plus the pieces they cannot compute.
type emailView struct {
	Message
	Subject    string // on one line, as in the header
	Body       string
	Paragraphs [][]string
	KindLabel  string
}

func newEmailView(m Message) emailView {
	v := emailView{Message: m, Subject: m.subjectLine(),
		Body: strings.TrimSpace(strings.ReplaceAll(m.Text, "\r\n", "\n"))}
	for p := range strings.SplitSeq(v.Body, "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			v.Paragraphs = append(v.Paragraphs, strings.Split(p, "\n"))
		}
	}
	v.KindLabel = strings.ReplaceAll(string(m.Kind), "_", " ")
	return v
}

// buildMail renders m as the RFC 5322 message that SMTP sends and the outbox stores; both go
// through here so that the outbox shows exactly what would have been sent.
func buildMail(from string, now time.Time, m Message) (*gomail.Msg, error) {
	if err := m.validate(); err != nil {
		return nil, Permanent(err)
	}
	to, err := m.Recipient.Address(ChannelEmail)
	if err != nil {
		return nil, Permanent(fmt.Errorf("email %s: %w", m.ID, err))
	}
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, Permanent(fmt.Errorf("email %s: from: %w", m.ID, err))
	}
	msg.ToMailAddress(&mail.Address{Name: m.Recipient.Name, Address: to})
	msg.Subject(m.subjectLine())
	msg.SetMessageIDWithValue(m.ID + "@docket")
	msg.SetDateWithValue(now)
	msg.SetUserAgent("Docket")
	// RFC 3834: keeps vacation responders from answering a reminder.
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")

	view := newEmailView(m)
	if err := msg.SetBodyTextTemplate(textTemplate, view); err != nil {
		return nil, Permanent(fmt.Errorf("email %s: text: %w", m.ID, err))
	}
	if err := msg.AddAlternativeHTMLTemplate(htmlTemplate, view); err != nil {
		return nil, Permanent(fmt.Errorf("email %s: html: %w", m.ID, err))
	}
	if len(m.ICS) > 0 {
		err := msg.AttachReader(icsName(m.ICSName), bytes.NewReader(m.ICS),
			gomail.WithFileContentType(gomail.ContentType(icsContentType)))
		if err != nil {
			return nil, Permanent(fmt.Errorf("email %s: ics: %w", m.ID, err))
		}
	}
	return msg, nil
}

// icsName keeps the attachment name a plain "*.ics" so mail clients recognise it.
func icsName(name string) string {
	name = path.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "event.ics"
	}
	if !strings.HasSuffix(strings.ToLower(name), ".ics") {
		name += ".ics"
	}
	return name
}
