package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// buildDocket builds the real binary once per test.
func buildDocket(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "docket")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

var servingLine = regexp.MustCompile(`msg="docket serving" http=http://(\S+)`)

// startDocket runs `docket serve` on data and returns its process and base URL.
func startDocket(t *testing.T, bin, data string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--data", data, "--http-addr", "127.0.0.1:0", "--nats-listen", "none")
	cmd.Env = append(os.Environ(), "DOCKET_API_KEYS=")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	lines := bufio.NewScanner(stderr)
	deadline := time.After(60 * time.Second)
	found := make(chan string, 1)
	go func() {
		for lines.Scan() {
			if m := servingLine.FindStringSubmatch(lines.Text()); m != nil {
				found <- m[1]
				break
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case addr := <-found:
		return cmd, "http://" + addr
	case <-deadline:
		t.Fatal("docket serve did not start within 60s")
	}
	return nil, ""
}

func post(t *testing.T, url, body string) (int, map[string]any) {
	t.Helper()
	res, err := http.Post(url, "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m map[string]any
	_ = json.NewDecoder(res.Body).Decode(&m)
	return res.StatusCode, m
}

// kill -9 in the middle of a stream of appends, restart on the same data directory: every
// acknowledged event is still there, and the projections rebuilt from them show it.
func TestKillNineLosesNothingAcknowledged(t *testing.T) {
	bin := buildDocket(t)
	data := t.TempDir()
	cmd, base := startDocket(t, bin, data)
	if code, m := post(t, base+"/v1/cases", `{"case_id":"c-1","docket_number":"1","title":"Kill v. Nine","court":{"id":"x","time_zone":"America/New_York"}}`); code != 201 {
		t.Fatalf("open = %d %v", code, m)
	}
	acked := 0
	for i := range 200 {
		code, _ := post(t, base+"/v1/cases/c-1/events", fmt.Sprintf(`{"type":"party.added","data":{"party_id":"p-%d"}}`, i))
		if code != 201 {
			t.Fatalf("append %d = %d", i, code)
		}
		acked++
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	_, base = startDocket(t, bin, data)
	res, err := http.Get(base + "/v1/cases/c-1/events")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var hist struct{ Events []map[string]any }
	if err := json.NewDecoder(res.Body).Decode(&hist); err != nil {
		t.Fatal(err)
	}
	if len(hist.Events) != acked+1 {
		t.Fatalf("after kill -9: %d events; want %d", len(hist.Events), acked+1)
	}
	res2, err := http.Get(base + "/v1/cases/c-1")
	if err != nil {
		t.Fatal(err)
	}
	defer res2.Body.Close()
	var c struct{ Parties map[string]any }
	if err := json.NewDecoder(res2.Body).Decode(&c); err != nil || len(c.Parties) != acked {
		t.Fatalf("after restart the case has %d parties (%v); want %d", len(c.Parties), err, acked)
	}
}

// SIGTERM drains and exits cleanly, and a second start picks up where the first stopped.
func TestSigtermExitsCleanly(t *testing.T) {
	bin := buildDocket(t)
	data := t.TempDir()
	cmd, base := startDocket(t, bin, data)
	if code, _ := post(t, base+"/v1/cases", `{"case_id":"c-1","docket_number":"1","title":"T","court":{"id":"x","time_zone":"UTC"}}`); code != 201 {
		t.Fatal("open failed")
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit after SIGTERM: %v", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("docket did not exit within 30s of SIGTERM")
	}
	_, base = startDocket(t, bin, data)
	if code, _ := post(t, base+"/v1/cases", `{"case_id":"c-1","docket_number":"1","title":"T","court":{"id":"x","time_zone":"UTC"}}`); code != 409 {
		t.Fatalf("reopening c-1 after restart = %d; want 409 (it exists)", code)
	}
}

func TestRefusesOpenNonLoopback(t *testing.T) {
	m := NewMain()
	if err := m.ParseFlags([]string{"--http-addr", "0.0.0.0:0", "--data", t.TempDir()}, io.Discard); err != nil {
		t.Fatal(err)
	}
	m.Config.APIKeys = ""
	err := m.Run(t.Context())
	defer m.Close()
	if err == nil || !strings.Contains(err.Error(), "without API keys") {
		t.Fatalf("Run on 0.0.0.0 without keys = %v; want a refusal", err)
	}
}

func TestEnvTwins(t *testing.T) {
	t.Setenv("DOCKET_HTTP_ADDR", "127.0.0.1:9999")
	t.Setenv("DOCKET_NATS_REPLICAS", "3")
	m := NewMain()
	if err := m.ParseFlags([]string{"--nats-replicas", "1"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if m.Config.HTTPAddr != "127.0.0.1:9999" || m.Config.NATSReplicas != 1 {
		t.Fatalf("config = %+v; want the env's address and the flag's replicas", m.Config)
	}
	t.Setenv("DOCKET_NATS_REPLICAS", "many")
	if err := NewMain().ParseFlags(nil, io.Discard); err == nil {
		t.Fatal("a bad env value was accepted")
	}
}

// With no SMTP settings, a change notice lands in the outbox as an .eml a newcomer can open.
func TestChangeNoticeReachesOutbox(t *testing.T) {
	bin := buildDocket(t)
	data := t.TempDir()
	t.Setenv("DOCKET_REMINDER_TICK", "1s")
	_, base := startDocket(t, bin, data)
	start := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Hour)
	for _, step := range []struct{ path, body string }{
		{"/v1/cases", `{"case_id":"c-1","docket_number":"1:26-cv-9","title":"Notice v. Outbox","court":{"id":"x","name":"D. Test","time_zone":"America/New_York"}}`},
		{"/v1/cases/c-1/events", `{"type":"party.added","data":{"party_id":"p-ann","name":"Ann Lee","role":"attorney","email":"ann@firm.example","time_zone":"America/New_York"}}`},
		{"/v1/cases/c-1/events", fmt.Sprintf(`{"type":"hearing.scheduled","data":{"hearing_id":"h-1","title":"Status conference","start":%q,"end":%q,"attendees":["p-ann"]}}`,
			start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))},
		{"/v1/cases/c-1/events", fmt.Sprintf(`{"type":"hearing.rescheduled","data":{"hearing_id":"h-1","start":%q,"end":%q,"reason":"judge unavailable"}}`,
			start.Add(24*time.Hour).Format(time.RFC3339), start.Add(25*time.Hour).Format(time.RFC3339))},
	} {
		if code, m := post(t, base+step.path, step.body); code != 201 {
			t.Fatalf("POST %s = %d %v", step.path, code, m)
		}
	}
	var eml []byte
	deadline := time.Now().Add(30 * time.Second)
	for eml == nil && time.Now().Before(deadline) {
		files, _ := filepath.Glob(filepath.Join(data, "outbox", "*.eml"))
		for _, f := range files {
			if b, _ := os.ReadFile(f); strings.Contains(string(b), "ann@firm.example") && strings.Contains(string(b), "Status conference") {
				eml = b
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	if eml == nil {
		t.Fatal("no change notice in the outbox within 30s")
	}
	res, err := http.Get(base + "/v1/reminders?case_id=c-1&status=sent")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var rem struct{ Reminders []map[string]any }
	if err := json.NewDecoder(res.Body).Decode(&rem); err != nil || len(rem.Reminders) == 0 {
		t.Fatalf("sent reminders = %v (%v)", rem.Reminders, err)
	}
}
