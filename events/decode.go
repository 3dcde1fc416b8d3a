package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/docket/docket"
)

// DecodeStrict decodes a client's JSON into v, rejecting unknown fields, trailing data and
// wrong types with an EINVALID error whose Field is a JSON pointer under prefix
// (e.g. "/data/start").
func DecodeStrict(b []byte, prefix string, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return decodeError(err, b, prefix, v)
	}
	if dec.More() {
		return docket.Invalid(prefix, "unexpected data after the JSON value")
	}
	return nil
}

// decodeError turns a json error into one naming the field it concerns.
func decodeError(err error, b []byte, prefix string, v any) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return docket.Invalid(prefix, "malformed JSON at byte %d: %v", syn.Offset, syn)
	case errors.As(err, &typ):
		field := prefix
		if typ.Field != "" {
			field = prefix + "/" + strings.ReplaceAll(typ.Field, ".", "/")
		}
		return docket.Invalid(field, "want %s, got %s", jsonKind(typ.Type), typ.Value)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return docket.Invalid(prefix+"/"+name, "unknown field")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return docket.Invalid(prefix, "empty or truncated JSON")
	}
	// A field's own decoder failed (a time, a date); find which field by decoding each one.
	if field, msg := probeFields(b, reflect.TypeOf(v)); field != "" {
		return docket.Invalid(prefix+field, "%s", msg)
	}
	return docket.Invalid(prefix, "%v", err)
}

// probeFields decodes the JSON object b field by field into the struct type t and returns the
// JSON pointer of the first field that fails, with the failure.
func probeFields(b []byte, t reflect.Type) (string, string) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	var obj map[string]json.RawMessage
	if t.Kind() != reflect.Struct || json.Unmarshal(b, &obj) != nil {
		return "", ""
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		raw, ok := obj[name]
		if name == "" || name == "-" || !ok {
			continue
		}
		if err := json.Unmarshal(raw, reflect.New(f.Type).Interface()); err != nil {
			if sub, msg := probeFields(raw, f.Type); sub != "" {
				return "/" + name + sub, msg
			}
			if elem := f.Type; elem.Kind() == reflect.Slice {
				var items []json.RawMessage
				if json.Unmarshal(raw, &items) == nil {
					for j, item := range items {
						if err := json.Unmarshal(item, reflect.New(elem.Elem()).Interface()); err != nil {
							return "/" + name + "/" + strconv.Itoa(j), cleanJSONError(err)
						}
					}
				}
			}
			return "/" + name, cleanJSONError(err)
		}
	}
	return "", ""
}

// cleanJSONError strips the Go-specific wording of time and json errors.
func cleanJSONError(err error) string {
	msg := err.Error()
	if strings.Contains(msg, "cannot parse") || strings.HasPrefix(msg, "parsing time") {
		return "want an RFC 3339 time with offset, e.g. 2026-12-01T09:30:00-08:00"
	}
	return strings.TrimPrefix(msg, "json: ")
}

// jsonKind names a Go type the way a JSON client thinks of it.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64, reflect.Uint32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map:
		return "an object"
	case reflect.Struct:
		if t.String() == "time.Time" {
			return "an RFC 3339 time string"
		}
		return "an object"
	}
	return t.String()
}
