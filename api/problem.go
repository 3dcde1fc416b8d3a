package api

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"

	"github.com/docket/docket"
)

// codeStatus maps every application error code to its HTTP status: the one table.
var codeStatus = map[string]int{
	docket.EINVALID:      http.StatusBadRequest,
	docket.ENOTFOUND:     http.StatusNotFound,
	docket.ECONFLICT:     http.StatusConflict,
	docket.EUNAUTHORIZED: http.StatusUnauthorized,
	docket.EFORBIDDEN:    http.StatusForbidden,
	docket.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	docket.EUNAVAILABLE:  http.StatusServiceUnavailable,
	docket.EINTERNAL:     http.StatusInternalServerError,
}

// Problem is an RFC 9457 problem document, extended with the field at fault and, on a
// conflict, the case's current version.
type Problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail"`
	Code     string `json:"code"`
	Field    string `json:"field,omitempty"`
	Version  uint64 `json:"version,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// ProblemOf turns any error into the problem document a client sees. Internal errors are
// logged and shown only as "Internal error.".
func ProblemOf(err error, instance string) Problem {
	code := docket.ErrorCode(err)
	status := codeStatus[code]
	p := Problem{Type: "https://docket.dev/problems/" + code, Title: http.StatusText(status), Status: status,
		Detail: docket.ErrorMessage(err), Code: code, Instance: instance}
	if e, ok := asError(err); ok {
		p.Field, p.Version = e.Field, e.Version
	}
	if code == docket.EINTERNAL {
		slog.Error("internal error", "instance", instance, "err", err)
	}
	return p
}

func asError(err error) (*docket.Error, bool) {
	var e *docket.Error
	ok := errors.As(err, &e)
	return e, ok
}

// writeError writes err as application/problem+json.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	p := ProblemOf(err, r.URL.Path)
	if p.Code == docket.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="docket"`)
	}
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(p.Status)
	_ = json.NewEncoder(w).Encode(p)
}

// writeJSON writes v as JSON with status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
