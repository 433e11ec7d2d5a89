package api

import (
	"net/http"

	"github.com/batonhq/baton/model"
)

// GET /health and GET /api/health: Conductor's static answer
// (HealthCheckResource.java); a server that answers is healthy.
func (h *Handler) health(w http.ResponseWriter, _ *http.Request) error {
	return ok(w, model.HealthCheckStatus{HealthResults: []any{}, SuppressedHealthResults: []any{}, Healthy: true})
}
