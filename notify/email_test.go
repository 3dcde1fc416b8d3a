package notify_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/docket/docket/notify"
	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testNow is the injected clock of every test; nothing here reads the real time.
var testNow = time.Date(2025, 3, 3, 16, 0, 0, 0, time.UTC)

const testICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Docket//EN\r\nMETHOD:PUBLISH\r\n" +
	"BEGIN:VEVENT\r\nUID:hearing-7@docket\r\nDTSTAMP:20250303T160000Z\r\n" +
	"DTSTART:20250304T173000Z\r\nSUMMARY:Hearing – Smith v. Jones\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"

// testMessage is a hearing reminder whose text carries markup, so escaping shows in HTML.
func testMessage() notify.Message {
	return notify.Message{
		ID:     "rem_7f3a9c2e41d0b6a8",
		Kind:   notify.KindReminder,
		CaseID: "case-2025-cv-0042",
		ItemID: "hearing-7",
		Recipient: notify.Recipient{
			PartyID: "party-ana", Name: "Ana Ruiz", Email: "ana@example.com",
			Phone: "+14155550123", WebhookURL: "https://hooks.example.com/docket",
		},
		Subject: "Hearing tomorrow: Smith v. Jones",
		Text:    "Your hearing in Smith & Jones <Motion to compel> is tomorrow.\nBring photo ID.\n\nCall the office with any question.",
		Details: []notify.Detail{
			{Label: "When", Value: "Tue 4 Mar 2025, 09:30 PST"},
			{Label: "Where", Value: "Courtroom 4B <script>alert(1)</script>"},
		},
		SMS:     "Reminder: hearing Smith v. Jones tomorrow 09:30, Courtroom 4B.",
		ICS:     []byte(testICS),
		ICSName: "hearing.ics",
		DueAt:   time.Date(2025, 3, 3, 17, 30, 0, 0, time.UTC),
		Payload: json.RawMessage(`{"kind":"hearing","start":"2025-03-04T17:30:00Z"}`),
	}
}

// received is one message as the SMTP server saw it.
type received struct {
	User string
	From string
	To   []string
	Data []byte
}

// smtpServer is a real go-smtp server on loopback that records what it receives.
type smtpServer struct {
	Addr string

	// user and pass, when set, are required through AUTH PLAIN before MAIL.
	user, pass string
	// rcptErr maps a recipient to the reply its RCPT TO gets.
	rcptErr map[string]*smtp.SMTPError
	// dataErr, when set, is the reply to the end of DATA.
	dataErr *smtp.SMTPError

	mu    sync.Mutex
	mails []received
}

type smtpOptions struct {
	user, pass string
	rcptErr    map[string]*smtp.SMTPError
	dataErr    *smtp.SMTPError
	tls        *tls.Config // offered by STARTTLS, or wrapping the listener when implicit
	implicit   bool
}

func startSMTP(t *testing.T, o smtpOptions) *smtpServer {
	t.Helper()
	s := &smtpServer{user: o.user, pass: o.pass, rcptErr: o.rcptErr, dataErr: o.dataErr}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{srv: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	var l net.Listener
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if o.tls != nil {
		if o.implicit {
			l = tls.NewListener(l, o.tls)
		} else {
			srv.TLSConfig = o.tls
		}
	}
	s.Addr = l.Addr().String()
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return s
}

func (s *smtpServer) received() []received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]received(nil), s.mails...)
}

type smtpSession struct {
	srv  *smtpServer
	user string
	cur  received
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if user != s.srv.user || pass != s.srv.pass {
			return smtp.ErrAuthFailed
		}
		s.user = user
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if s.srv.user != "" && s.user == "" {
		return smtp.ErrAuthRequired
	}
	s.cur = received{User: s.user, From: from}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if e := s.srv.rcptErr[to]; e != nil {
		return e
	}
	s.cur.To = append(s.cur.To, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if s.srv.dataErr != nil {
		return s.srv.dataErr
	}
	s.cur.Data = b
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, s.cur)
	s.srv.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        { s.cur = received{User: s.user} }
func (s *smtpSession) Logout() error { return nil }

// parsedMail is an email taken apart the way a mail client would.
type parsedMail struct {
	Header         mail.Header
	Subject        string
	Text, HTML     string
	ICS            []byte
	ICSType        string
	ICSParams      map[string]string
	ICSDisposition string
	ICSFilename    string
}

// parseMail reads raw with net/mail and mime/multipart, expecting multipart/mixed holding a
// multipart/alternative (text, HTML) and at most one attachment.
func parseMail(t *testing.T, raw []byte) parsedMail {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("ReadMessage: %v", err)
	}
	p := parsedMail{Header: msg.Header}
	if p.Subject, err = new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject")); err != nil {
		t.Fatalf("Subject: %v", err)
	}
	mt, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/mixed" {
		t.Fatalf("Content-Type = %q (%v); want multipart/mixed", msg.Header.Get("Content-Type"), err)
	}
	mixed := multipart.NewReader(msg.Body, params["boundary"])
	for {
		part, err := mixed.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("mixed part: %v", err)
		}
		ct, ctParams, err := mime.ParseMediaType(part.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("part Content-Type: %v", err)
		}
		switch {
		case ct == "multipart/alternative":
			alt := multipart.NewReader(part, ctParams["boundary"])
			for {
				ap, err := alt.NextPart()
				if errors.Is(err, io.EOF) {
					break
				} else if err != nil {
					t.Fatalf("alternative part: %v", err)
				}
				// NextPart has already undone the quoted-printable encoding; CRLF is the wire's.
				b, err := io.ReadAll(ap)
				if err != nil {
					t.Fatal(err)
				}
				b = bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n"))
				switch act, _, _ := mime.ParseMediaType(ap.Header.Get("Content-Type")); act {
				case "text/plain":
					p.Text = string(b)
				case "text/html":
					p.HTML = string(b)
				default:
					t.Errorf("unexpected alternative %q", act)
				}
			}
		default:
			if enc := part.Header.Get("Content-Transfer-Encoding"); enc != "base64" {
				t.Fatalf("attachment encoding %q; want base64", enc)
			}
			b, err := io.ReadAll(base64.NewDecoder(base64.StdEncoding, part))
			if err != nil {
				t.Fatalf("attachment: %v", err)
			}
			disp, dispParams, err := mime.ParseMediaType(part.Header.Get("Content-Disposition"))
			if err != nil {
				t.Fatalf("Content-Disposition: %v", err)
			}
			p.ICS, p.ICSType, p.ICSParams = b, ct, ctParams
			p.ICSDisposition, p.ICSFilename = disp, dispParams["filename"]
		}
	}
	return p
}

func newSMTP(cfg notify.SMTPConfig) *notify.SMTP {
	s := notify.NewSMTP(cfg)
	s.Now = func() time.Time { return testNow }
	return s
}

func TestSMTPSendsMultipartWithICS(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", From: "Docket <reminders@firm.example>"})
	m := testMessage()

	id, err := s.Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if want := "<rem_7f3a9c2e41d0b6a8@docket>"; id != want {
		t.Errorf("Send = %q; want %q", id, want)
	}
	mails := srv.received()
	if len(mails) != 1 {
		t.Fatalf("server received %d messages; want 1", len(mails))
	}
	got := mails[0]
	if got.From != "reminders@firm.example" {
		t.Errorf("MAIL FROM = %q; want reminders@firm.example", got.From)
	}
	if len(got.To) != 1 || got.To[0] != "ana@example.com" {
		t.Errorf("RCPT TO = %q; want [ana@example.com]", got.To)
	}

	p := parseMail(t, got.Data)
	headers := []struct{ name, want string }{
		{"Message-Id", "<rem_7f3a9c2e41d0b6a8@docket>"},
		{"Date", "Mon, 03 Mar 2025 16:00:00 +0000"},
		{"From", `"Docket" <reminders@firm.example>`},
		{"To", `"Ana Ruiz" <ana@example.com>`},
		{"Auto-Submitted", "auto-generated"},
		{"Mime-Version", "1.0"},
	}
	for _, h := range headers {
		if v := p.Header.Get(h.name); v != h.want {
			t.Errorf("header %s = %q; want %q", h.name, v, h.want)
		}
	}
	if p.Subject != m.Subject {
		t.Errorf("Subject = %q; want %q", p.Subject, m.Subject)
	}
	for _, want := range []string{
		"Dear Ana Ruiz,",
		"Your hearing in Smith & Jones <Motion to compel> is tomorrow.\nBring photo ID.",
		"Call the office with any question.",
		"When: Tue 4 Mar 2025, 09:30 PST",
		"Where: Courtroom 4B <script>alert(1)</script>",
		"Reference: rem_7f3a9c2e41d0b6a8",
	} {
		if !strings.Contains(p.Text, want) {
			t.Errorf("text part lacks %q:\n%s", want, p.Text)
		}
	}
	for _, want := range []string{
		"<p>Dear Ana Ruiz,</p>",
		"<p>Your hearing in Smith &amp; Jones &lt;Motion to compel&gt; is tomorrow.<br>Bring photo ID.</p>",
		"<p>Call the office with any question.</p>",
		">Where</th><td",
		"Courtroom 4B &lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		if !strings.Contains(p.HTML, want) {
			t.Errorf("HTML part lacks %q:\n%s", want, p.HTML)
		}
	}
	if strings.Contains(p.HTML, "<script>") {
		t.Errorf("HTML part carries unescaped markup:\n%s", p.HTML)
	}
	if p.ICSType != "text/calendar" || p.ICSParams["method"] != "PUBLISH" || p.ICSParams["charset"] != "utf-8" {
		t.Errorf("attachment type = %s %v; want text/calendar method=PUBLISH charset=utf-8", p.ICSType, p.ICSParams)
	}
	if p.ICSDisposition != "attachment" || p.ICSFilename != "hearing.ics" {
		t.Errorf("attachment disposition = %s filename=%q; want attachment hearing.ics", p.ICSDisposition, p.ICSFilename)
	}
	if string(p.ICS) != testICS {
		t.Errorf("attachment = %q; want %q", p.ICS, testICS)
	}
}

func TestSMTPWithoutICSOrName(t *testing.T) {
	srv := startSMTP(t, smtpOptions{})
	s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", From: "reminders@firm.example"})
	m := testMessage()
	m.ICS, m.Recipient.Name = nil, ""
	if _, err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("Send: %v", err)
	}
	raw := srv.received()[0].Data
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	// Without an attachment the message is multipart/alternative at the top.
	mt, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if mt != "multipart/alternative" {
		t.Fatalf("Content-Type = %q; want multipart/alternative", mt)
	}
	part, err := multipart.NewReader(msg.Body, params["boundary"]).NextPart()
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(part)
	if !strings.HasPrefix(string(text), "Hello,\r\n") {
		t.Errorf("text part starts %q; want the nameless greeting", text)
	}
}

func TestSMTPAuthPlain(t *testing.T) {
	srv := startSMTP(t, smtpOptions{user: "docket", pass: "s3cret"})
	s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", User: "docket", Password: "s3cret",
		From: "reminders@firm.example"})
	if _, err := s.Send(context.Background(), testMessage()); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if mails := srv.received(); len(mails) != 1 || mails[0].User != "docket" {
		t.Fatalf("received %+v; want one message sent as user docket", mails)
	}

	bad := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", User: "docket", Password: "wrong",
		From: "reminders@firm.example"})
	_, err := bad.Send(context.Background(), testMessage())
	if err == nil || !notify.IsPermanent(err) {
		t.Fatalf("Send with a wrong password = %v; want a permanent error (535)", err)
	}
	if !strings.Contains(err.Error(), "535") {
		t.Errorf("error %q does not carry the 535 reply", err)
	}
}

func TestSMTPStartTLSAndImplicitTLS(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	tests := []struct {
		mode     string
		implicit bool
	}{
		{"starttls", false},
		{"tls", true},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			srv := startSMTP(t, smtpOptions{user: "docket", pass: "s3cret", tls: serverTLS, implicit: tt.implicit})
			s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: tt.mode, User: "docket", Password: "s3cret",
				From: "reminders@firm.example", TLSConfig: clientTLS})
			if _, err := s.Send(context.Background(), testMessage()); err != nil {
				t.Fatalf("Send: %v", err)
			}
			if n := len(srv.received()); n != 1 {
				t.Fatalf("received %d messages; want 1", n)
			}
		})
	}
	// A relay that offers no STARTTLS must not get the message (or the password) in clear.
	srv := startSMTP(t, smtpOptions{})
	s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "starttls", From: "reminders@firm.example", TLSConfig: clientTLS})
	if _, err := s.Send(context.Background(), testMessage()); err == nil {
		t.Fatal("Send over starttls to a server without STARTTLS succeeded")
	}
	if n := len(srv.received()); n != 0 {
		t.Fatalf("received %d messages in clear; want 0", n)
	}
}

func TestSMTPErrorClasses(t *testing.T) {
	tests := []struct {
		name      string
		opts      smtpOptions
		to        string
		permanent bool
		code      string
	}{
		{
			name: "550 at RCPT",
			opts: smtpOptions{rcptErr: map[string]*smtp.SMTPError{
				"gone@example.com": {Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"},
			}},
			to: "gone@example.com", permanent: true, code: "550",
		},
		{
			name: "451 at DATA",
			opts: smtpOptions{dataErr: &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
				Message: "Try again later"}},
			to: "ana@example.com", permanent: false, code: "451",
		},
		{
			name: "452 at RCPT",
			opts: smtpOptions{rcptErr: map[string]*smtp.SMTPError{
				"full@example.com": {Code: 452, EnhancedCode: smtp.EnhancedCode{4, 2, 2}, Message: "Mailbox full"},
			}},
			to: "full@example.com", permanent: false, code: "452",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := startSMTP(t, tt.opts)
			s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", From: "reminders@firm.example"})
			m := testMessage()
			m.Recipient.Email = tt.to
			_, err := s.Send(context.Background(), m)
			if err == nil {
				t.Fatal("Send succeeded; want an error")
			}
			if got := notify.IsPermanent(err); got != tt.permanent {
				t.Errorf("IsPermanent(%v) = %v; want %v", err, got, tt.permanent)
			}
			if !strings.Contains(err.Error(), tt.code) {
				t.Errorf("error %q lacks the reply code %s", err, tt.code)
			}
			if n := len(srv.received()); n != 0 {
				t.Errorf("server kept %d messages; want 0", n)
			}
		})
	}
}

func TestSMTPConnectionRefusedIsRetryable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	s := newSMTP(notify.SMTPConfig{Addr: addr, TLS: "none", From: "reminders@firm.example"})
	_, err = s.Send(context.Background(), testMessage())
	if err == nil || notify.IsPermanent(err) {
		t.Fatalf("Send to a closed port = %v; want a retryable error", err)
	}
}

func TestSMTPRejectsBadMessagesPermanently(t *testing.T) {
	s := newSMTP(notify.SMTPConfig{Addr: "127.0.0.1:1", TLS: "none", From: "reminders@firm.example"})
	tests := []struct {
		name   string
		change func(*notify.Message)
		is     error
	}{
		{"no email", func(m *notify.Message) { m.Recipient.Email = "" }, notify.ErrNoAddress},
		{"bad email", func(m *notify.Message) { m.Recipient.Email = "ana at example" }, notify.ErrNoAddress},
		{"dotted id", func(m *notify.Message) { m.ID = "rem.1" }, nil},
		{"unknown kind", func(m *notify.Message) { m.Kind = "memo" }, nil},
	}
	for _, tt := range tests {
		m := testMessage()
		tt.change(&m)
		_, err := s.Send(context.Background(), m)
		if err == nil || !notify.IsPermanent(err) {
			t.Errorf("%s: Send = %v; want a permanent error", tt.name, err)
		}
		if tt.is != nil && !errors.Is(err, tt.is) {
			t.Errorf("%s: Send = %v; want it to wrap %v", tt.name, err, tt.is)
		}
	}
}

func TestSMTPConfigValidate(t *testing.T) {
	ok := notify.SMTPConfig{Addr: "smtp.example.com:587", From: "Docket <d@example.com>"}
	tests := []struct {
		name    string
		change  func(*notify.SMTPConfig)
		wantErr string
	}{
		{"valid", func(*notify.SMTPConfig) {}, ""},
		{"bare host", func(c *notify.SMTPConfig) { c.Addr = "smtp.example.com"; c.TLS = "tls" }, ""},
		{"no addr", func(c *notify.SMTPConfig) { c.Addr = "" }, "smtp addr"},
		{"bad port", func(c *notify.SMTPConfig) { c.Addr = "smtp.example.com:99999" }, "smtp addr"},
		{"bad tls", func(c *notify.SMTPConfig) { c.TLS = "ssl" }, "smtp tls"},
		{"no from", func(c *notify.SMTPConfig) { c.From = "" }, "mail from"},
		{"bad from", func(c *notify.SMTPConfig) { c.From = "not an address" }, "mail from"},
		{"user only", func(c *notify.SMTPConfig) { c.User = "u" }, "password"},
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

// testTLS returns a server config with a fresh self-signed certificate for 127.0.0.1 and a
// client config that trusts it.
func testTLS(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "docket test relay"},
		NotBefore:             testNow.Add(-time.Hour),
		NotAfter:              testNow.Add(100 * 365 * 24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key, Leaf: cert}}}
	return server, &tls.Config{RootCAs: pool}
}

func TestSMTPConcurrentSends(t *testing.T) {
	srv := startSMTP(t, smtpOptions{user: "docket", pass: "s3cret"})
	s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", User: "docket", Password: "s3cret",
		From: "reminders@firm.example"})
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			m := testMessage()
			m.ID = "rem_" + strconv.Itoa(i)
			_, err := s.Send(context.Background(), m)
			errs <- err
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Send: %v", err)
		}
	}
	ids := map[string]bool{}
	for _, r := range srv.received() {
		msg, err := mail.ReadMessage(bytes.NewReader(r.Data))
		if err != nil {
			t.Fatal(err)
		}
		ids[msg.Header.Get("Message-Id")] = true
	}
	if len(ids) != n {
		t.Errorf("server received %d distinct messages; want %d", len(ids), n)
	}
}
