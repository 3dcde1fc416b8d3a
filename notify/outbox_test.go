package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/docket/docket/notify"
)

func newOutbox(t *testing.T) *notify.Outbox {
	t.Helper()
	o := notify.NewOutbox(filepath.Join(t.TempDir(), "outbox"))
	o.From = "Docket <reminders@firm.example>"
	o.SMSFrom = testFrom
	o.Now = func() time.Time { return testNow }
	return o
}

func outboxFiles(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestOutboxEmailIsWhatSMTPWouldSend(t *testing.T) {
	o := newOutbox(t)
	m := testMessage()
	path, err := o.Email().Send(context.Background(), m)
	if err != nil {
		t.Fatalf("Send: %v", err)
	}
	if want := filepath.Join(o.Dir(), m.ID+".eml"); path != want {
		t.Errorf("Send = %q; want %q", path, want)
	}
	eml, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	srv := startSMTP(t, smtpOptions{})
	s := newSMTP(notify.SMTPConfig{Addr: srv.Addr, TLS: "none", From: o.From})
	if _, err := s.Send(context.Background(), m); err != nil {
		t.Fatalf("SMTP Send: %v", err)
	}
	// MIME boundaries are random per rendering; everything a reader sees must match.
	fromFile, fromWire := parseMail(t, eml), parseMail(t, srv.received()[0].Data)
	ignore := map[string]bool{"Content-Type": true}
	for k := range fromWire.Header {
		if !ignore[k] && !slices.Equal(fromFile.Header[k], fromWire.Header[k]) {
			t.Errorf("header %s: outbox %q, SMTP %q", k, fromFile.Header[k], fromWire.Header[k])
		}
	}
	if len(fromFile.Header) != len(fromWire.Header) {
		t.Errorf("outbox has %d headers, SMTP %d", len(fromFile.Header), len(fromWire.Header))
	}
	fromFile.Header, fromWire.Header = nil, nil
	if !reflect.DeepEqual(fromFile, fromWire) {
		t.Errorf("outbox message differs from the SMTP one:\noutbox %+v\nsmtp   %+v", fromFile, fromWire)
	}
	if string(fromFile.ICS) != testICS || fromFile.Text == "" || fromFile.HTML == "" {
		t.Errorf("outbox message lacks a part: %+v", fromFile)
	}
}

func TestOutboxSMSAndWebhookJSON(t *testing.T) {
	o := newOutbox(t)
	ctx := context.Background()

	sms := testMessage()
	sms.ID = "rem_sms_1"
	path, err := o.SMS().Send(ctx, sms)
	if err != nil {
		t.Fatalf("SMS Send: %v", err)
	}
	var gotSMS map[string]any
	readJSON(t, path, &gotSMS)
	wantSMS := map[string]any{
		"channel": "sms", "id": "rem_sms_1", "kind": "reminder", "case_id": sms.CaseID,
		"item_id": sms.ItemID, "party_id": "party-ana", "to": "+14155550123", "from": testFrom,
		"body": sms.SMS,
	}
	if !reflect.DeepEqual(gotSMS, wantSMS) {
		t.Errorf("SMS file = %v; want %v", gotSMS, wantSMS)
	}

	hook := testMessage()
	hook.ID = "rem_hook_1"
	path, err = o.Webhook().Send(ctx, hook)
	if err != nil {
		t.Fatalf("webhook Send: %v", err)
	}
	var gotHook struct {
		Channel, ID, URL string
		Body             struct {
			Type string
			Data struct {
				ID      string
				Payload map[string]string
			}
		}
	}
	readJSON(t, path, &gotHook)
	if gotHook.Channel != "webhook" || gotHook.ID != "rem_hook_1" || gotHook.URL != hook.Recipient.WebhookURL ||
		gotHook.Body.Type != "docket.reminder" || gotHook.Body.Data.ID != "rem_hook_1" ||
		gotHook.Body.Data.Payload["kind"] != "hearing" {
		t.Errorf("webhook file = %+v; want the URL and the body a receiver would get", gotHook)
	}

	if got, want := outboxFiles(t, o.Dir()), []string{"rem_hook_1.json", "rem_sms_1.json"}; !slices.Equal(got, want) {
		t.Errorf("outbox holds %q; want %q and no temporary files", got, want)
	}
}

func TestOutboxWritesAnIDOnce(t *testing.T) {
	o := newOutbox(t)
	m := testMessage()
	first, err := o.Email().Send(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(first)

	// A retry after a crash, a minute later: the file already there is the message.
	o.Now = func() time.Time { return testNow.Add(time.Minute) }
	second, err := o.Email().Send(context.Background(), m)
	if err != nil {
		t.Fatalf("second Send: %v", err)
	}
	after, _ := os.ReadFile(second)
	if second != first || string(after) != string(before) {
		t.Errorf("second Send wrote %q (changed: %v); want the first file untouched", second, string(after) != string(before))
	}
	if got := outboxFiles(t, o.Dir()); !slices.Equal(got, []string{m.ID + ".eml"}) {
		t.Errorf("outbox holds %q; want one .eml", got)
	}
}

func TestOutboxUnwritableDirIsRetryable(t *testing.T) {
	// A file where the directory should be: the disk problem is the operator's to fix, and a
	// retry after that should succeed, so the error must not be permanent.
	blocker := filepath.Join(t.TempDir(), "outbox")
	if err := os.WriteFile(blocker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	o := notify.NewOutbox(blocker)
	_, err := o.SMS().Send(context.Background(), testMessage())
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("Send into a non-directory = %v; want a retryable error", err)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v\n%s", path, err, b)
	}
}

func TestChannelsRoute(t *testing.T) {
	o := newOutbox(t)
	ch := notify.Channels{Email: o.Email(), SMS: o.SMS(), Webhook: o.Webhook()}
	ctx := context.Background()
	tests := []struct {
		channel string
		id      string
		file    string
	}{
		{"email", "rem_a", "rem_a.eml"},
		{"sms", "rem_b", "rem_b.json"},
		{"webhook", "rem_c", "rem_c.json"},
	}
	for _, tt := range tests {
		m := testMessage()
		m.ID = tt.id
		path, err := ch.Send(ctx, tt.channel, m)
		if err != nil {
			t.Errorf("Send(%q) = %v", tt.channel, err)
			continue
		}
		if filepath.Base(path) != tt.file {
			t.Errorf("Send(%q) wrote %q; want %q", tt.channel, path, tt.file)
		}
	}
}

func TestChannelsRefuseUndeliverable(t *testing.T) {
	o := newOutbox(t)
	full := notify.Channels{Email: o.Email(), SMS: o.SMS(), Webhook: o.Webhook()}
	tests := []struct {
		name    string
		ch      notify.Channels
		channel string
		change  func(*notify.Recipient)
		is      error
	}{
		{"no email", full, "email", func(r *notify.Recipient) { r.Email = "" }, notify.ErrNoAddress},
		{"named email", full, "email", func(r *notify.Recipient) { r.Email = "Ana <ana@example.com>" }, notify.ErrNoAddress},
		{"no phone", full, "sms", func(r *notify.Recipient) { r.Phone = "" }, notify.ErrNoAddress},
		{"local phone", full, "sms", func(r *notify.Recipient) { r.Phone = "(415) 555-0123" }, notify.ErrNoAddress},
		{"no webhook", full, "webhook", func(r *notify.Recipient) { r.WebhookURL = "" }, notify.ErrNoAddress},
		{"relative webhook", full, "webhook", func(r *notify.Recipient) { r.WebhookURL = "/hook" }, notify.ErrNoAddress},
		{"fax", full, "fax", func(*notify.Recipient) {}, notify.ErrUnknownChannel},
		{"unconfigured", notify.Channels{Email: o.Email()}, "sms", func(*notify.Recipient) {}, notify.ErrUnknownChannel},
	}
	for _, tt := range tests {
		m := testMessage()
		tt.change(&m.Recipient)
		_, err := tt.ch.Send(context.Background(), tt.channel, m)
		if !notify.IsPermanent(err) || !errors.Is(err, tt.is) {
			t.Errorf("%s: Send = %v; want a permanent error wrapping %v", tt.name, err, tt.is)
		}
	}
	if _, err := os.Stat(o.Dir()); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("outbox dir exists after only refused sends (stat: %v)", err)
	}
}

func TestRecipientAddress(t *testing.T) {
	r := testMessage().Recipient
	tests := []struct {
		channel, want string
	}{
		{"email", "ana@example.com"},
		{"sms", "+14155550123"},
		{"webhook", "https://hooks.example.com/docket"},
	}
	for _, tt := range tests {
		if got, err := r.Address(tt.channel); err != nil || got != tt.want {
			t.Errorf("Address(%q) = %q, %v; want %q", tt.channel, got, err, tt.want)
		}
	}
}

func TestPermanent(t *testing.T) {
	base := errors.New("boom")
	p := notify.Permanent(base)
	if !notify.IsPermanent(p) || !errors.Is(p, base) || p.Error() != "boom" {
		t.Errorf("Permanent(boom) = %v; want a permanent error wrapping boom", p)
	}
	if notify.Permanent(nil) != nil {
		t.Error("Permanent(nil) != nil")
	}
	if notify.IsPermanent(base) || notify.IsPermanent(nil) {
		t.Error("IsPermanent is true for an unmarked error")
	}
	if wrapped := errors.Join(errors.New("other"), p); !notify.IsPermanent(wrapped) {
		t.Error("IsPermanent does not see through wrapping")
	}
}
