package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's Prometheus series, on a registry of its own so that several
// servers in one test process do not collide.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	feeds    *prometheus.CounterVec
}

func newMetrics(s *Server) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "docket_http_requests_total", Help: "HTTP requests by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "docket_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 16),
		}, []string{"route"}),
		feeds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "docket_feed_requests_total", Help: "Feed requests by outcome: rendered, cached, not_modified, not_found.",
		}, []string{"outcome"}),
	}
	m.registry.MustRegister(m.requests, m.duration, m.feeds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "docket_projection_applied_sequence", Help: "Stream sequence of the last event the projections applied.",
		}, func() float64 { return float64(s.runner.Applied()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "docket_projection_lag_events", Help: "Stream sequences the projections are behind the event store.",
		}, func() float64 {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			lag, err := s.runner.Lag(ctx)
			if err != nil {
				return -1
			}
			return float64(lag)
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "docket_cases", Help: "Cases in the read model.",
		}, func() float64 { return float64(s.cases.Len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "docket_reminders_waiting", Help: "Reminders planned and not yet sent.",
		}, func() float64 { return float64(s.reminders.Len()) }),
	)
	return m
}

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// observe records one request under its route pattern (never the raw path, whose ids and
// tokens would explode the series and leak feed tokens).
func (m *metrics) observe(route string, status int, start time.Time) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
}
