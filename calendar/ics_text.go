package calendar

import (
	"net/url"
	"strings"

	"github.com/emersion/go-ical"
)

// cancelledPrefix starts the summary of a cancelled entry in feeds.
const cancelledPrefix = "Cancelled: "

// cleanText makes s safe as an iCalendar TEXT value before go-ical escapes it (backslash,
// semicolon, comma and newline, RFC 5545 §3.3.11): invalid UTF-8 becomes U+FFFD, CR LF and
// lone CR become LF (go-ical refuses a raw CR), and the other control characters RFC 5545
// forbids in TEXT are dropped.
func cleanText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' || (r >= 0x20 && r != 0x7f) {
			return r
		}
		return -1
	}, s)
	return strings.TrimSpace(s)
}

// trimCancelledPrefix removes a "Cancelled: " the title already has, so the feed's own prefix
// is never doubled.
func trimCancelledPrefix(title string) string {
	if len(title) >= len(cancelledPrefix) && strings.EqualFold(title[:len(cancelledPrefix)], cancelledPrefix) {
		return strings.TrimSpace(title[len(cancelledPrefix):])
	}
	return title
}

// feedURL returns s when it is an absolute URI that can stand as a URL value unescaped, and ""
// otherwise: a broken link is left out rather than breaking the feed.
func feedURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '"' }) {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || !u.IsAbs() {
		return ""
	}
	return s
}

// descriptionWithLink appends the link back to Docket to the description: Outlook and Google
// do not show the URL property, so a description is the only place their users find it.
func descriptionWithLink(desc, link string) string {
	switch {
	case link == "" || strings.Contains(desc, link):
		return desc
	case desc == "":
		return link
	default:
		return desc + "\n\n" + link
	}
}

// textProp returns a TEXT property holding s, escaped by go-ical. go-ical adds VALUE=TEXT to
// properties it has no default type for (X-WR-CALNAME); TEXT is the default of every
// property, so the parameter is dropped.
func textProp(name, s string) *ical.Prop {
	p := ical.NewProp(name)
	p.SetText(s)
	p.Params.Del(ical.ParamValue)
	return p
}
