package api

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/engine"
	"github.com/batonhq/baton/internal/engine/enginetest"
	"github.com/batonhq/baton/model"
)

// Regressions found by fuzzing the API (make api-fuzz) against the real
// engine: each case failed before its fix.

// newEngineHandler is the API on a real engine over an in-memory store.
func newEngineHandler(t *testing.T) (http.Handler, *engine.Engine) {
	t.Helper()
	e, err := engine.New(engine.Config{Store: enginetest.NewMemStore(),
		Clock: enginetest.NewClock(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), ServerID: "baton"})
	require.NoError(t, err)
	require.NoError(t, e.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, e.Stop(context.Background())) })
	return NewHandler(e, Config{ServerID: testServerID}), e
}

// ?topLevelOnly=true, a documented parameter of the workflow searches,
// was folded into parentWorkflowId="" and then refused by the engine: every
// such search answered 400. It now keeps the workflows that are not
// sub-workflows.
func TestWorkflowSearchTopLevelOnly(t *testing.T) {
	t.Parallel()
	h, e := newEngineHandler(t)
	def := `{"name":"parent","version":1,"tasks":[{"name":"child","taskReferenceName":"child","type":"SUB_WORKFLOW",` +
		`"subWorkflowParam":{"name":"child","version":1}}]}`
	child := `{"name":"child","version":1,"tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT"}]}`
	for _, body := range []string{child, def} {
		resp := doWith(t, h, http.MethodPost, "/api/metadata/workflow", body)
		require.Equal(t, http.StatusOK, resp.StatusCode, readAll(t, resp))
	}
	resp := doWith(t, h, http.MethodPost, "/api/workflow/parent", `{}`)
	parentID := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, parentID)
	e.RunDueTimers() // the SUB_WORKFLOW task starts its child

	for _, path := range []string{"/api/workflow/search", "/api/workflow/search-v2"} {
		all := searchIDs(t, h, path+"?size=10")
		require.Len(t, all, 2, "the parent and its sub-workflow")
		top := searchIDs(t, h, path+"?size=10&topLevelOnly=true")
		require.Equal(t, []string{parentID}, top, path)
	}
	// Another parent id is not supported yet, and says so.
	resp = doWith(t, h, http.MethodGet, `/api/workflow/search?query=parentWorkflowId%3Dabc`, "")
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.Contains(t, readAll(t, resp), "parentWorkflowId")
}

func searchIDs(t *testing.T, h http.Handler, target string) []string {
	t.Helper()
	resp := doWith(t, h, http.MethodGet, target, "")
	body := readAll(t, resp)
	require.Equal(t, http.StatusOK, resp.StatusCode, body)
	var res model.SearchResult[struct {
		WorkflowId string `json:"workflowId"`
	}]
	require.NoError(t, json.Unmarshal([]byte(body), &res))
	ids := []string{}
	for _, r := range res.Results {
		ids = append(ids, r.WorkflowId)
	}
	return ids
}

// ?classifier=a,b, a documented parameter of the workflow searches, was
// folded into classifier IN (a,b) and then refused by the engine: every
// such search answered 400. It now filters by the definition's classifier,
// the one the summaries report.
func TestWorkflowSearchClassifier(t *testing.T) {
	t.Parallel()
	h, _ := newEngineHandler(t)
	ids := map[string]string{}
	for name, meta := range map[string]string{"plain": `{}`, "tagged": `{"classifier":"custom"}`} {
		def := `{"name":"` + name + `","version":1,"metadata":` + meta +
			`,"tasks":[{"name":"w","taskReferenceName":"w","type":"WAIT"}]}`
		resp := doWith(t, h, http.MethodPost, "/api/metadata/workflow", def)
		require.Equal(t, http.StatusOK, resp.StatusCode, readAll(t, resp))
		resp = doWith(t, h, http.MethodPost, "/api/workflow/"+name, `{}`)
		ids[name] = readAll(t, resp)
		require.Equal(t, http.StatusOK, resp.StatusCode, ids[name])
	}
	for _, path := range []string{"/api/workflow/search", "/api/workflow/search-v2"} {
		require.Equal(t, []string{ids["tagged"]}, searchIDs(t, h, path+"?classifier=custom"), path)
		require.Equal(t, []string{ids["plain"]}, searchIDs(t, h, path+"?classifier=workflow"), path)
		require.Len(t, searchIDs(t, h, path+"?classifier=workflow,custom"), 2, path)
		require.Empty(t, searchIDs(t, h, path+"?classifier=agent"), path)
	}
}
