package api

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/docket/docket"
	"github.com/docket/docket/calendar"
	"github.com/docket/docket/projections"
)

// Client calls a Docket server's HTTP API for other Go services. Its errors are
// *docket.Error with the server's code, field and, on a conflict, the current version.
type Client struct {
	base string
	key  string
	// HTTP is the client requests go through; defaults to http.DefaultClient.
	HTTP *http.Client
}

// NewClient returns a client for the server at baseURL ("http://127.0.0.1:8080"), sending key
// as the bearer API key when it is not empty.
func NewClient(baseURL, key string) *Client {
	return &Client{base: strings.TrimSuffix(baseURL, "/"), key: key, HTTP: http.DefaultClient}
}

// OpenCase opens a case; caseID may be empty to have one generated.
func (c *Client) OpenCase(ctx context.Context, caseID string, data any, idempotencyKey string) (AppendResult, error) {
	body, err := json.Marshal(data)
	if err != nil {
		return AppendResult{}, err
	}
	if caseID != "" {
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			return AppendResult{}, fmt.Errorf("open case: the case data must be a JSON object: %w", err)
		}
		m["case_id"] = caseID
		body, _ = json.Marshal(m)
	}
	var res AppendResult
	err = c.do(ctx, "POST", "/v1/cases", body, &res, "Idempotency-Key", idempotencyKey)
	return res, err
}

// Append appends events to a case atomically. ifMatch, when not nil, is the version the
// caller last saw; key makes a retry safe.
func (c *Client) Append(ctx context.Context, caseID string, ifMatch *uint64, key string, drafts ...Draft) (AppendResult, error) {
	body, err := json.Marshal(map[string]any{"events": drafts})
	if err != nil {
		return AppendResult{}, err
	}
	h := []string{"Idempotency-Key", key}
	if ifMatch != nil {
		h = append(h, "If-Match", strconv.FormatUint(*ifMatch, 10))
	}
	var res AppendResult
	err = c.do(ctx, "POST", "/v1/cases/"+url.PathEscape(caseID)+"/events", body, &res, h...)
	return res, err
}

// Case returns a case's read model, as of at least minSeq (0: whatever the server has).
func (c *Client) Case(ctx context.Context, caseID string, minSeq uint64) (*projections.Case, error) {
	var out projections.Case
	err := c.do(ctx, "GET", "/v1/cases/"+url.PathEscape(caseID)+"?min_seq="+strconv.FormatUint(minSeq, 10), nil, &out)
	return &out, err
}

// Calendar returns a case's entries in [from, to), series expanded.
func (c *Client) Calendar(ctx context.Context, caseID string, from, to calendar.When) ([]calendar.Entry, error) {
	var out struct{ Entries []calendar.Entry }
	q := url.Values{"from": {from.String()}, "to": {to.String()}}
	err := c.do(ctx, "GET", "/v1/cases/"+url.PathEscape(caseID)+"/calendar?"+q.Encode(), nil, &out)
	return out.Entries, err
}

func (c *Client) do(ctx context.Context, method, path string, body []byte, out any, headers ...string) error {
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		if headers[i+1] != "" {
			req.Header.Set(headers[i], headers[i+1])
		}
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if res.StatusCode >= 300 {
		var p Problem
		if json.Unmarshal(b, &p) != nil || p.Code == "" {
			return fmt.Errorf("%s %s: %s", method, path, res.Status)
		}
		return &docket.Error{Code: p.Code, Field: p.Field, Message: p.Detail, Version: p.Version}
	}
	return json.Unmarshal(b, out)
}
