package calendar

import (
	"bytes"
	"unicode/utf8"
)

// maxLineOctets is the longest content line RFC 5545 §3.1 allows, CRLF not counted.
const maxLineOctets = 75

// foldLines folds every CRLF-terminated line of an unfolded iCalendar stream. go-ical does not
// fold (its issue 18 was declined), and Google has been seen to drop a whole feed whose long
// lines were folded inside a UTF-8 sequence, so each cut lands on a rune boundary.
func foldLines(unfolded []byte) []byte {
	out := make([]byte, 0, len(unfolded)+len(unfolded)/maxLineOctets*3)
	for len(unfolded) > 0 {
		line := unfolded
		if i := bytes.Index(unfolded, []byte("\r\n")); i >= 0 {
			line, unfolded = unfolded[:i], unfolded[i+2:]
		} else {
			unfolded = nil
		}
		out = appendFolded(out, line)
	}
	return out
}

// appendFolded appends one logical line to dst as physical lines of at most maxLineOctets
// octets, each ended by CRLF; a continuation line starts with one space, which counts.
func appendFolded(dst, line []byte) []byte {
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		// Back up to the first byte of the rune the limit falls in. Three steps is as far as
		// valid UTF-8 can need; past that the bytes are not UTF-8 and any cut is as good.
		for back := 0; back < utf8.UTFMax-1 && !utf8.RuneStart(line[cut]); back++ {
			cut--
		}
		if !utf8.RuneStart(line[cut]) {
			cut = limit
		}
		dst = append(dst, line[:cut]...)
		dst = append(dst, '\r', '\n', ' ')
		line = line[cut:]
		limit = maxLineOctets - 1
	}
	dst = append(dst, line...)
	return append(dst, '\r', '\n')
}
