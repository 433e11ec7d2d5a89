package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/batonhq/baton/model"
)

// Schedules: Conductor's scheduler module (SchedulerResource and
// SchedulerBulkResource in conductor-scheduler-core). Conductor answers 500
// for a missing required query parameter and for an invalid cron
// expression; Baton answers 400.

func (h *Handler) schedulerRoutes() {
	h.handle("POST /api/scheduler/schedules", h.saveSchedule)
	h.handle("GET /api/scheduler/schedules", h.listSchedules)
	h.handle("GET /api/scheduler/schedules/search", h.searchSchedules)
	h.handle("GET /api/scheduler/schedules/{name}", h.getSchedule)
	h.handle("DELETE /api/scheduler/schedules/{name}", h.deleteSchedule)
	h.handle("PUT /api/scheduler/schedules/{name}/pause", h.pauseSchedule)
	h.handle("PUT /api/scheduler/schedules/{name}/resume", h.resumeSchedule)
	h.handle("GET /api/scheduler/nextFewSchedules", h.nextFewSchedules)
	h.handle("GET /api/scheduler/search/executions", h.searchScheduleExecutions)
	h.handle("GET /api/scheduler/admin/pause", h.pauseScheduler)
	h.handle("GET /api/scheduler/admin/resume", h.resumeScheduler)
	h.handle("PUT /api/scheduler/bulk/pause", h.bulkPauseSchedules)
	h.handle("PUT /api/scheduler/bulk/resume", h.bulkResumeSchedules)
}

// POST /api/scheduler/schedules: create or replace; answers the schedule.
func (h *Handler) saveSchedule(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r)
	if err != nil {
		return err
	}
	var s model.WorkflowSchedule
	if err := decodeJSON(b, &s, "a WorkflowSchedule object"); err != nil {
		return err
	}
	if err := decodeScheduleStartRequest(b, &s); err != nil {
		return err
	}
	out, err := h.svc.SaveSchedule(r.Context(), &s)
	if err != nil {
		return err
	}
	return ok(w, out)
}

// decodeScheduleStartRequest decodes the request every run of s starts as
// a start decodes its body: an inline workflowDef gets WorkflowDef.java's
// defaults (schemaVersion 2, for one) and the API's checks.
func decodeScheduleStartRequest(body []byte, s *model.WorkflowSchedule) error {
	if s.StartWorkflowRequest == nil {
		return nil
	}
	var raw struct {
		StartWorkflowRequest json.RawMessage `json:"startWorkflowRequest"`
	}
	if err := json.Unmarshal(body, &raw); err != nil {
		return invalidf("request body field \"startWorkflowRequest\": %v", err)
	}
	if err := checkStartRequest(s.StartWorkflowRequest); err != nil {
		return within(err, `request body field "startWorkflowRequest"`)
	}
	return within(inlineWorkflowDef(raw.StartWorkflowRequest, s.StartWorkflowRequest), `request body field "startWorkflowRequest"`)
}

// GET /api/scheduler/schedules?workflowName=
func (h *Handler) listSchedules(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.ListSchedules(r.Context(), query(r).str("workflowName"))
	if err != nil {
		return err
	}
	return ok(w, out)
}

// GET /api/scheduler/schedules/search?workflowName=&scheduleName=&paused=&freeText=*&start=0&size=100&sort=
func (h *Handler) searchSchedules(w http.ResponseWriter, r *http.Request) error {
	p := query(r)
	start, err := p.intOr("start", 0)
	if err != nil {
		return err
	}
	size, err := p.intOr("size", 100)
	if err != nil {
		return err
	}
	var paused *bool
	if p.str("paused") != "" {
		b, err := p.boolOr("paused", false)
		if err != nil {
			return err
		}
		paused = &b
	}
	out, err := h.svc.SearchSchedules(r.Context(), p.str("workflowName"), p.str("scheduleName"), paused,
		p.strOr("freeText", "*"), start, size, sortList(p.str("sort")))
	if err != nil {
		return err
	}
	return ok(w, out)
}

// sortList splits Conductor's comma-separated sort parameter.
func sortList(s string) []string {
	var out []string
	for v := range strings.SplitSeq(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// GET /api/scheduler/schedules/{name}
func (h *Handler) getSchedule(w http.ResponseWriter, r *http.Request) error {
	out, err := h.svc.GetSchedule(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	return ok(w, out)
}

// DELETE /api/scheduler/schedules/{name}: 200 with no body, also for an
// unknown name.
func (h *Handler) deleteSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.DeleteSchedule(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/scheduler/schedules/{name}/pause?reason=
func (h *Handler) pauseSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.PauseSchedule(r.Context(), r.PathValue("name"), query(r).str("reason")); err != nil {
		return err
	}
	return empty(w)
}

// PUT /api/scheduler/schedules/{name}/resume
func (h *Handler) resumeSchedule(w http.ResponseWriter, r *http.Request) error {
	if err := h.svc.ResumeSchedule(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	return empty(w)
}

// GET /api/scheduler/nextFewSchedules?cronExpression=&scheduleStartTime=&scheduleEndTime=&limit=5
func (h *Handler) nextFewSchedules(w http.ResponseWriter, r *http.Request) error {
	p := query(r)
	expr, err := p.required("cronExpression", "0+0+*+*+*+%3F")
	if err != nil {
		return err
	}
	var start, end *int64
	if v, present, err := p.optInt64("scheduleStartTime"); err != nil {
		return err
	} else if present {
		start = &v
	}
	if v, present, err := p.optInt64("scheduleEndTime"); err != nil {
		return err
	} else if present {
		end = &v
	}
	limit, err := p.intOr("limit", 5)
	if err != nil {
		return err
	}
	out, err := h.svc.NextSchedules(r.Context(), expr, start, end, limit)
	if err != nil {
		return err
	}
	return ok(w, out)
}

// GET /api/scheduler/search/executions?query=&freeText=*&start=0&size=100&sort=
func (h *Handler) searchScheduleExecutions(w http.ResponseWriter, r *http.Request) error {
	p := query(r)
	start, err := p.intOr("start", 0)
	if err != nil {
		return err
	}
	size, err := p.intOr("size", 100)
	if err != nil {
		return err
	}
	out, err := h.svc.SearchScheduleExecutions(r.Context(), p.str("query"), p.strOr("freeText", "*"), start, size, sortList(p.str("sort")))
	if err != nil {
		return err
	}
	return ok(w, out)
}

// GET /api/scheduler/admin/pause and resume: every schedule on this server.
func (h *Handler) pauseScheduler(w http.ResponseWriter, r *http.Request) error {
	return h.setScheduler(w, r, true)
}

func (h *Handler) resumeScheduler(w http.ResponseWriter, r *http.Request) error {
	return h.setScheduler(w, r, false)
}

func (h *Handler) setScheduler(w http.ResponseWriter, r *http.Request, pause bool) error {
	if err := h.svc.PauseScheduler(r.Context(), pause); err != nil {
		return err
	}
	return ok(w, map[string]any{"status": "done"})
}

// PUT /api/scheduler/bulk/pause and resume: a JSON list of names.
func (h *Handler) bulkPauseSchedules(w http.ResponseWriter, r *http.Request) error {
	return h.bulk(w, r, "pauseSchedules", func(ctx context.Context, name string) error {
		return h.svc.PauseSchedule(ctx, name, "")
	})
}

func (h *Handler) bulkResumeSchedules(w http.ResponseWriter, r *http.Request) error {
	return h.bulk(w, r, "resumeSchedules", h.svc.ResumeSchedule)
}
