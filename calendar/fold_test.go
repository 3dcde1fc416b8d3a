package calendar

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/emersion/go-ical"
)

// unfold undoes folding as RFC 5545 §3.1 says: a CRLF followed by one space or tab goes.
func unfoldICS(folded []byte) []byte {
	return bytes.ReplaceAll(bytes.ReplaceAll(folded, []byte("\r\n "), nil), []byte("\r\n\t"), nil)
}

func TestFoldLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"short", "SUMMARY:x\r\n", "SUMMARY:x\r\n"},
		{"exactly 75", "S:" + strings.Repeat("a", 73) + "\r\n", "S:" + strings.Repeat("a", 73) + "\r\n"},
		{"76", "S:" + strings.Repeat("a", 74) + "\r\n", "S:" + strings.Repeat("a", 73) + "\r\n a\r\n"},
		{
			// "ö" is 2 octets; the 75-octet limit falls between them, so the cut moves back.
			"two-byte rune at the limit",
			"S:" + strings.Repeat("a", 72) + "öb\r\n",
			"S:" + strings.Repeat("a", 72) + "\r\n öb\r\n",
		},
		{
			"three-byte runes",
			"S:" + strings.Repeat("審", 30) + "\r\n",
			// 2 + 24*3 = 74 octets fit on the first line, 24*3 = 72 on the next (plus the space).
			"S:" + strings.Repeat("審", 24) + "\r\n " + strings.Repeat("審", 6) + "\r\n",
		},
		{
			"continuation lines hold 74 octets",
			"S:" + strings.Repeat("a", 73+74+10) + "\r\n",
			"S:" + strings.Repeat("a", 73) + "\r\n " + strings.Repeat("a", 74) + "\r\n " + strings.Repeat("a", 10) + "\r\n",
		},
		{"several lines", "A:1\r\nB:2\r\n", "A:1\r\nB:2\r\n"},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		if got := string(foldLines([]byte(tc.in))); got != tc.want {
			t.Errorf("%s: foldLines(%q) =\n%q\nwant\n%q", tc.name, tc.in, got, tc.want)
		}
	}
}

// checkFolded checks one folded logical line: physical lines of at most 75 octets ended by
// CRLF, continuation lines starting with one space, UTF-8 kept whole when the input was valid,
// and unfolding giving the input back.
func checkFolded(t *testing.T, line string, folded []byte) {
	t.Helper()
	if !bytes.HasSuffix(folded, []byte("\r\n")) {
		t.Fatalf("folded %q does not end in CRLF: %q", line, folded)
	}
	physical := bytes.Split(bytes.TrimSuffix(folded, []byte("\r\n")), []byte("\r\n"))
	for i, p := range physical {
		if len(p) > maxLineOctets {
			t.Fatalf("folded %q: line %d has %d octets", line, i, len(p))
		}
		if i > 0 && (len(p) < 2 || p[0] != ' ') {
			t.Fatalf("folded %q: continuation %q must be a space and at least one octet", line, p)
		}
		if utf8.ValidString(line) && !utf8.Valid(p) {
			t.Fatalf("folded %q: line %d %q splits a UTF-8 sequence", line, i, p)
		}
	}
	if got := string(unfoldICS(folded)); got != line+"\r\n" {
		t.Fatalf("unfoldICS(fold(%q)) = %q", line, got)
	}
}

// FuzzFold folds arbitrary content lines, valid UTF-8 or not.
func FuzzFold(f *testing.F) {
	for _, s := range []string{
		"", "SUMMARY:x", longTitle, "DESCRIPTION:" + strings.Repeat("ö", 80),
		"X:" + strings.Repeat("𝄞", 40), "X:\xff\xfe" + strings.Repeat("\x80", 90),
		"S:" + strings.Repeat("a", 72) + "öb",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		line := strings.NewReplacer("\r", "", "\n", "").Replace(s)
		checkFolded(t, line, foldLines([]byte(line+"\r\n")))
	})
}

// FuzzTextProperty runs arbitrary text through cleaning, go-ical's escaping, folding and
// go-ical's decoder, and wants the cleaned text back: nothing is escaped twice or lost.
func FuzzTextProperty(f *testing.F) {
	for _, s := range []string{
		"", longTitle, `a\b;c,d` + "\n" + `e\\n`, "line1\r\nline2\rline3", "\x00\x07tab\there",
		strings.Repeat(`\,;`, 40), strings.Repeat("日本語 ", 30), "\xff invalid \xc3",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want := cleanText(s)
		ev := ical.NewEvent()
		ev.Props.Set(textProp(ical.PropUID, "fuzz@docket"))
		ev.Props.Set(utcProp(ical.PropDateTimeStamp, feedNow))
		ev.Props.Set(textProp(ical.PropSummary, want))
		cal := ical.NewCalendar()
		cal.Props.Set(textProp(ical.PropProductID, ProductID))
		cal.Props.Set(textProp(ical.PropVersion, "2.0"))
		cal.Children = append(cal.Children, ev.Component)
		var buf bytes.Buffer
		if err := ical.NewEncoder(&buf).Encode(cal); err != nil {
			t.Fatalf("encode %q: %v", want, err)
		}
		out := foldLines(buf.Bytes())
		checkLines(t, out)
		got, err := ical.NewDecoder(bytes.NewReader(out)).Decode()
		if err != nil {
			t.Fatalf("decode %q: %v", out, err)
		}
		summary, err := got.Events()[0].Props.Text(ical.PropSummary)
		if err != nil {
			t.Fatal(err)
		}
		if summary != want {
			t.Fatalf("SUMMARY round trip = %q; want %q", summary, want)
		}
	})
}

func TestCleanText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a\r\nb\rc\nd", "a\nb\nc\nd"},
		{"bell\x07 and nul\x00 and del\x7f gone", "bell and nul and del gone"},
		{"tab\tstays", "tab\tstays"},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{"  padded \n", "padded"},
	}
	for _, tc := range tests {
		if got := cleanText(tc.in); got != tc.want {
			t.Errorf("cleanText(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}
