// Package docket holds what every layer of Docket shares: the application error type and its
// codes. The domain lives in the sub-packages (events, projections, calendar, rules, notify, api).
package docket

import (
	"errors"
	"fmt"
)

// Error codes. The HTTP layer maps each to a status in exactly one table.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable"
	EINTERNAL     = "internal"
)

// Error is an application error a user can act on: a code, the field it concerns (a JSON
// pointer such as "/data/start" when it concerns one) and a message written for the user.
type Error struct {
	Code    string
	Field   string
	Message string
	// Version is the case's current version, set on a conflict so a client can retry.
	Version uint64
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("docket %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("docket %s: %s", e.Code, e.Message)
}

// Errorf returns an Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about field.
func Invalid(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first Error in err's chain, EINTERNAL for any other
// non-nil error and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of the first Error in err's chain, or "Internal error." so
// that internal details never reach a user.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}
