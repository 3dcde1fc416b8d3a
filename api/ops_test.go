package api_test

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestOpsEndpoints(t *testing.T) {
	e := newEnv(t, nil)
	e.seed()
	e.mustDo(200, "GET", "/healthz", "")
	ready := e.mustDo(200, "GET", "/readyz", "")
	if ready["ready"] != true || ready["lag"].(float64) != 0 || ready["applied"].(float64) != 4 {
		t.Fatalf("readyz = %v", ready)
	}
	m := e.do("GET", "/metrics", "")
	for _, want := range []string{
		`docket_http_requests_total{code="201",route="POST /v1/cases"} 1`,
		"docket_projection_applied_sequence 4",
		"docket_projection_lag_events 0",
		"docket_cases 1",
	} {
		if !strings.Contains(string(m.Body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	spec := e.do("GET", "/openapi.yaml", "")
	var doc struct {
		OpenAPI string                    `yaml:"openapi"`
		Paths   map[string]map[string]any `yaml:"paths"`
	}
	if err := yaml.Unmarshal(spec.Body, &doc); err != nil || doc.OpenAPI != "3.1.0" {
		t.Fatalf("openapi.yaml: %v", err)
	}
	for path, method := range map[string]string{
		"/v1/cases": "post", "/v1/cases/{case_id}": "get", "/v1/cases/{case_id}/events": "post",
		"/v1/cases/{case_id}/calendar": "get", "/v1/feeds": "post", "/v1/feeds/{feed_id}": "delete",
		"/feeds/{token}.ics": "get", "/readyz": "get",
	} {
		if _, ok := doc.Paths[path][method]; !ok {
			t.Errorf("openapi.yaml lacks %s %s", method, path)
		}
	}
}
