package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/micro"

	"github.com/docket/docket"
)

// MicroSubject is the subject of the append endpoint of the `docket` NATS micro service.
const MicroSubject = "docket.svc.append"

// StartMicro registers the NATS micro service "docket" with its append endpoint, so other
// systems can append events without HTTP. The request body is the same JSON as
// POST /v1/cases/{case_id}/events; headers carry the rest: Case-Id (required), If-Match,
// Idempotency-Key and Actor. The reply is the same result, or the same problem document with
// the Nats-Service-Error-Code header set to the HTTP status.
func StartMicro(nc *nats.Conn, svc *Service) (micro.Service, error) {
	ms, err := micro.AddService(nc, micro.Config{
		Name:        "docket",
		Version:     "1.0.0",
		Description: "Docket: append events to court cases",
	})
	if err != nil {
		return nil, err
	}
	err = ms.AddEndpoint("append", micro.HandlerFunc(func(r micro.Request) { microAppend(svc, r) }),
		micro.WithEndpointSubject(MicroSubject))
	if err != nil {
		_ = ms.Stop()
		return nil, err
	}
	return ms, nil
}

func microAppend(svc *Service, r micro.Request) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	h := r.Headers()
	res, err := func() (AppendResult, error) {
		if len(r.Data()) > 1<<20 {
			return AppendResult{}, &docket.Error{Code: docket.ETOOLARGE, Field: "body", Message: "the body is larger than 1 MiB"}
		}
		caseID := h.Get("Case-Id")
		if caseID == "" {
			return AppendResult{}, docket.Invalid("Case-Id", "the Case-Id header is required")
		}
		req, err := appendRequest(r.Data(), caseID)
		if err != nil {
			return AppendResult{}, err
		}
		if v := h.Get("If-Match"); v != "" {
			hr := &http.Request{Header: http.Header{"If-Match": {v}}}
			if req.IfMatch, err = parseIfMatch(hr); err != nil {
				return AppendResult{}, err
			}
		}
		req.Key, req.Actor = h.Get("Idempotency-Key"), h.Get("Actor")
		if req.Actor == "" {
			req.Actor = "nats"
		}
		return svc.Append(ctx, req)
	}()
	if err != nil {
		p := ProblemOf(err, MicroSubject)
		b, _ := json.Marshal(p)
		_ = r.Error(strconv.Itoa(p.Status), p.Detail, b, micro.WithHeaders(micro.Headers{"Content-Type": {"application/problem+json"}}))
		return
	}
	b, _ := json.Marshal(res)
	_ = r.Respond(b, micro.WithHeaders(micro.Headers{"Docket-Seq": {strconv.FormatUint(res.Version, 10)}}))
}
