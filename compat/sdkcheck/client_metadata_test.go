package sdkcheck_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestMetadataClient calls every method of client.MetadataClient against
// the real server: task definitions (register, get, update, list, delete)
// and workflow definitions (register with and without overwrite, versions,
// bulk update, list, delete), with the conflict, not-found and validation
// answers.
func TestMetadataClient(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	md := e.api.Metadata()

	// Task definitions.
	d1, d2 := taskDef(e.name("md_one")), taskDef(e.name("md_two"))
	d1.Description = "first"
	d1.RetryCount = 2
	d1.RetryLogic = model.RetryLinearBackoff
	d1.RetryDelaySeconds = 3
	d1.TimeoutSeconds = 120
	d1.ResponseTimeoutSeconds = 30
	d1.InputKeys = []string{"orderId"}
	d1.ConcurrentExecLimit = new(5)
	require.NoError(t, md.RegisterTaskDefs(e.ctx, d1, d2))

	got, err := md.GetTaskDef(e.ctx, d1.Name)
	require.NoError(t, err)
	require.Equal(t, d1.Name, got.Name)
	require.Equal(t, "first", got.Description)
	require.Equal(t, 2, got.RetryCount)
	require.Equal(t, model.RetryLinearBackoff, got.RetryLogic)
	require.Equal(t, 3, got.RetryDelaySeconds)
	require.Equal(t, int64(120), got.TimeoutSeconds)
	require.Equal(t, int64(30), got.ResponseTimeoutSeconds)
	require.Equal(t, []string{"orderId"}, got.InputKeys)
	require.Equal(t, 5, *got.ConcurrentExecLimit)
	require.Equal(t, "sdkcheck@example.com", got.OwnerEmail)

	got.Description = "updated"
	got.RetryCount = 4
	require.NoError(t, md.UpdateTaskDef(e.ctx, got))
	got, err = md.GetTaskDef(e.ctx, d1.Name)
	require.NoError(t, err)
	require.Equal(t, "updated", got.Description)
	require.Equal(t, 4, got.RetryCount)

	all, err := md.ListTaskDefs(e.ctx)
	require.NoError(t, err)
	require.Subset(t, taskDefNames(all), []string{d1.Name, d2.Name})

	require.NoError(t, md.DeleteTaskDef(e.ctx, d2.Name))
	_, err = md.GetTaskDef(e.ctx, d2.Name)
	require.ErrorIs(t, err, client.ErrNotFound)
	missing := taskDef(e.name("md_never"))
	require.ErrorIs(t, md.UpdateTaskDef(e.ctx, &missing), client.ErrNotFound)
	// Conductor answers the deletion of an unknown definition with a 500.
	requireStatus(t, md.DeleteTaskDef(e.ctx, d2.Name), http.StatusInternalServerError, "No such task definition")

	// Validation: a response timeout above the task timeout is refused with
	// the server's validation errors.
	bad := taskDef(e.name("md_bad"))
	bad.TimeoutSeconds = 10
	bad.ResponseTimeoutSeconds = 20
	err = md.RegisterTaskDefs(e.ctx, bad)
	var ae *client.APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, http.StatusBadRequest, ae.StatusCode)
	require.NotEmpty(t, ae.Response.ValidationErrors, "%v", err)
	require.Contains(t, err.Error(), "responseTimeoutSeconds")
	_, err = md.GetTaskDef(e.ctx, bad.Name)
	require.ErrorIs(t, err, client.ErrNotFound, "a refused definition is not stored")

	// Workflow definitions.
	name := e.name("md_wf")
	v1 := model.NewWorkflowDef(name, simple(d1.Name, "a", map[string]any{"x": "${workflow.input.x}"}))
	v1.Description = "version one"
	v1.OwnerEmail = "sdkcheck@example.com"
	v1.InputParameters = []string{"x"}
	require.NoError(t, md.RegisterWorkflowDef(e.ctx, v1, false))
	require.ErrorIs(t, md.RegisterWorkflowDef(e.ctx, v1, false), client.ErrConflict)
	v1.Description = "version one, overwritten"
	require.NoError(t, md.RegisterWorkflowDef(e.ctx, v1, true))

	wd, err := md.GetWorkflowDef(e.ctx, name, 0)
	require.NoError(t, err)
	require.Equal(t, 1, wd.Version)
	require.Equal(t, "version one, overwritten", wd.Description)
	require.Len(t, wd.Tasks, 1)
	require.Equal(t, "a", wd.Tasks[0].TaskReferenceName)
	require.Equal(t, "${workflow.input.x}", wd.Tasks[0].InputParameters["x"])

	// UpdateWorkflowDefs: replace version 1, add version 2.
	v1.Description = "version one, bulk"
	v2 := *v1
	v2.Version = 2
	v2.Description = "version two"
	v2.Tasks = []model.WorkflowTask{simple(d1.Name, "a", nil), simple(d1.Name, "b", nil)}
	res, err := md.UpdateWorkflowDefs(e.ctx, *v1, v2)
	require.NoError(t, err)
	require.Empty(t, res.BulkErrorResults)
	require.NotEmpty(t, res.BulkSuccessfulResults)
	t.Logf("UpdateWorkflowDefs answered %+v", res)

	latest, err := md.GetWorkflowDef(e.ctx, name, 0)
	require.NoError(t, err)
	require.Equal(t, 2, latest.Version)
	require.Len(t, latest.Tasks, 2)
	one, err := md.GetWorkflowDef(e.ctx, name, 1)
	require.NoError(t, err)
	require.Equal(t, "version one, bulk", one.Description)

	defs, err := md.ListWorkflowDefs(e.ctx)
	require.NoError(t, err)
	versions := []int{}
	for _, d := range defs {
		if d.Name == name {
			versions = append(versions, d.Version)
		}
	}
	require.NotEmpty(t, versions, "the list holds the definition")
	t.Logf("ListWorkflowDefs lists versions %v of a definition with versions 1 and 2", versions)

	require.NoError(t, md.DeleteWorkflowDef(e.ctx, name, 2))
	_, err = md.GetWorkflowDef(e.ctx, name, 2)
	require.ErrorIs(t, err, client.ErrNotFound)
	latest, err = md.GetWorkflowDef(e.ctx, name, 0)
	require.NoError(t, err)
	require.Equal(t, 1, latest.Version, "version 1 is the latest again")
	// Conductor answers the deletion of an unknown version with a 500.
	requireStatus(t, md.DeleteWorkflowDef(e.ctx, name, 2), http.StatusInternalServerError, "No such workflow definition")
	_, err = md.GetWorkflowDef(e.ctx, e.name("md_never_wf"), 0)
	require.ErrorIs(t, err, client.ErrNotFound)
}

func taskDefNames(defs []model.TaskDef) []string {
	names := make([]string, len(defs))
	for i := range defs {
		names[i] = defs[i].Name
	}
	return names
}
