package ui

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"

	"github.com/batonhq/baton/model"
)

// POST /executions/{id}/{action}: terminate, pause, resume, retry,
// restart, rerun, skip, complete or fail. A refusal is shown on the
// execution's page with the server's message; success redirects back.
func (h *Handler) executionAction(r *http.Request) (*view, error) {
	ctx := r.Context()
	id, action := r.PathValue("id"), r.PathValue("action")
	if err := r.ParseForm(); err != nil {
		return nil, badInput("cannot read the form: %v", err)
	}
	form := r.PostForm
	back := url.Values{}
	if t := form.Get("task"); t != "" {
		back.Set("task", t)
	}
	var err error
	target := id
	switch action {
	case "terminate":
		err = h.svc.Terminate(ctx, id, form.Get("reason"))
	case "pause":
		err = h.svc.Pause(ctx, id)
	case "resume":
		err = h.svc.Resume(ctx, id)
	case "retry":
		err = h.svc.Retry(ctx, id, form.Get("resumeSubworkflowTasks") == "on")
	case "restart":
		err = h.svc.Restart(ctx, id, form.Get("useLatestDefinitions") == "on")
	case "rerun":
		req := &model.RerunWorkflowRequest{ReRunFromWorkflowId: id, ReRunFromTaskId: form.Get("task")}
		target, err = h.svc.Rerun(ctx, id, req)
		if err == nil && target == "" {
			target = id
		}
	case "skip":
		err = h.svc.SkipTask(ctx, id, strings.TrimSpace(form.Get("ref")), &model.SkipTaskRequest{})
	case "complete", "fail":
		err = h.finishTask(r, id, action, form)
	default:
		return nil, badInput("unknown action %q; use terminate, pause, resume, retry, restart, rerun, skip, complete or fail", action)
	}
	if err != nil {
		return h.executionView(r, id, back, h.problemOf(r, err))
	}
	back.Set("done", action)
	return &view{redirect: "/executions/" + url.PathEscape(target) + "?" + back.Encode()}, nil
}

// finishTask completes or fails a WAIT or HUMAN task with the output a
// person typed as JSON.
func (h *Handler) finishTask(r *http.Request, id, action string, form url.Values) error {
	taskID := form.Get("task")
	if taskID == "" {
		return badInput("no task chosen: pick the WAIT or HUMAN task in the task list first")
	}
	out := map[string]any{}
	if s := strings.TrimSpace(form.Get("output")); s != "" {
		if err := json.Unmarshal([]byte(s), &out); err != nil {
			return badInput("the output is not a JSON object: %v", err)
		}
	}
	res := &model.TaskResult{WorkflowInstanceId: id, TaskId: taskID, OutputData: out, WorkerId: "baton-ui",
		Status: model.CompletedTask}
	if action == "fail" {
		res.Status = model.FailedTask
		res.ReasonForIncompletion = strings.TrimSpace(form.Get("reason"))
	}
	return h.svc.UpdateTask(r.Context(), res)
}
