package server

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The schema fixture is a database written by Baton at schema version 1,
// the first release's: a later Baton must open it, migrate it and carry on
// with the workflows in it. It is written once, with
//
//	go test ./server -run TestSchemaFixture -write-schema-fixture
//
// and never rewritten once released: a new schema gets a new fixture.
var writeSchemaFixture = flag.Bool("write-schema-fixture", false, "write internal/store/sqlite/testdata/schema-v1.db")

const fixtureDir = "../internal/store/sqlite/testdata"

// fixtureIDs are the workflows in the fixture, recorded next to it.
type fixtureIDs struct {
	Completed  string `json:"completed"`  // COMPLETED
	Scheduled  string `json:"scheduled"`  // RUNNING, its worker task SCHEDULED
	InProgress string `json:"inProgress"` // RUNNING, its worker task IN_PROGRESS
	TaskID     string `json:"taskId"`     // inProgress's worker task
}

const fixtureDef = `{"name":"fixture_wf","version":1,"schemaVersion":2,"ownerEmail":"fixture@example.com","tasks":[
 {"name":"fixture_task","taskReferenceName":"work","type":"SIMPLE"},
 {"name":"sum","taskReferenceName":"sum","type":"INLINE","inputParameters":{"evaluatorType":"javascript","n":"${work.output.n}","expression":"$.n + 1"}}],
 "outputParameters":{"result":"${sum.output.result}"}}`

// do sends one request to h and returns the status and body.
func do(t *testing.T, h http.Handler, method, path, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func mustDo(t *testing.T, h http.Handler, method, path, body string) string {
	t.Helper()
	code, out := do(t, h, method, path, body)
	require.Less(t, code, 300, "%s %s: %s", method, path, out)
	return out
}

// pollOne polls one fixture_task and returns its task id.
func pollOne(t *testing.T, h http.Handler) string {
	t.Helper()
	out := mustDo(t, h, "GET", "/api/tasks/poll/fixture_task?workerid=fixture", "")
	var task struct{ TaskId string }
	require.NoError(t, json.Unmarshal([]byte(out), &task), out)
	require.NotEmpty(t, task.TaskId, out)
	return task.TaskId
}

func complete(t *testing.T, h http.Handler, wfID, taskID string, n int) {
	t.Helper()
	b, err := json.Marshal(map[string]any{"workflowInstanceId": wfID, "taskId": taskID, "status": "COMPLETED",
		"outputData": map[string]any{"n": n}})
	require.NoError(t, err)
	mustDo(t, h, "POST", "/api/tasks", string(b))
}

func workflowStatus(t *testing.T, h http.Handler, id string) (string, map[string]any) {
	t.Helper()
	var wf struct {
		Status string
		Output map[string]any
	}
	require.NoError(t, json.Unmarshal([]byte(mustDo(t, h, "GET", "/api/workflow/"+id, "")), &wf))
	return wf.Status, wf.Output
}

func TestSchemaFixture(t *testing.T) {
	if !*writeSchemaFixture {
		t.Skip("writes the fixture only with -write-schema-fixture")
	}
	path := filepath.Join(fixtureDir, "schema-v1.db")
	require.NoError(t, os.MkdirAll(fixtureDir, 0o755))
	_ = os.Remove(path)
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: path})
	require.NoError(t, err)
	h := s.Handler()
	mustDo(t, h, "POST", "/api/metadata/taskdefs", `[{"name":"fixture_task","ownerEmail":"fixture@example.com","retryCount":0}]`)
	mustDo(t, h, "POST", "/api/metadata/workflow", fixtureDef)
	var ids fixtureIDs
	ids.Completed = mustDo(t, h, "POST", "/api/workflow/fixture_wf", `{"seed":1}`)
	complete(t, h, ids.Completed, pollOne(t, h), 1)
	ids.InProgress = mustDo(t, h, "POST", "/api/workflow/fixture_wf", `{"seed":2}`)
	ids.TaskID = pollOne(t, h)
	ids.Scheduled = mustDo(t, h, "POST", "/api/workflow/fixture_wf", `{"seed":3}`)
	require.NoError(t, s.Stop(context.Background()))
	for _, suffix := range []string{"-wal", "-shm"} {
		_, err := os.Stat(path + suffix)
		require.ErrorIs(t, err, os.ErrNotExist, "the fixture is one file")
	}
	b, err := json.MarshalIndent(ids, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(fixtureDir, "schema-v1.json"), append(b, '\n'), 0o644))
}

// copyFixture copies the fixture to a temporary file (opening migrates it)
// and returns its path and ids.
func copyFixture(t *testing.T) (string, fixtureIDs) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir, "schema-v1.db"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "baton.db")
	require.NoError(t, os.WriteFile(path, b, 0o600))
	var ids fixtureIDs
	b, err = os.ReadFile(filepath.Join(fixtureDir, "schema-v1.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &ids))
	return path, ids
}

// shiftedClock is the wall clock moved back by a fixed offset: timers run
// in real time, but Now starts where the fixture was written.
type shiftedClock struct{ offset time.Duration }

func (c shiftedClock) Now() time.Time { return time.Now().Add(-c.offset) }

func (c shiftedClock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	return time.AfterFunc(d, f).Stop
}

// fixtureClock is a clock that starts a second after the fixture's last
// write, so that its tasks' response timeouts (an hour by default) are as
// far away as when it was written, however old the fixture is.
func fixtureClock(t *testing.T, path string) Clock {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	var last int64
	require.NoError(t, db.QueryRow(`SELECT MAX(update_time) FROM tasks`).Scan(&last))
	require.NoError(t, db.Close())
	require.Positive(t, last)
	return shiftedClock{offset: time.Since(time.UnixMilli(last).Add(time.Second))}
}

// TestOpensReleasedSchema: a database of the first schema opens with this
// code, and its workflows run on to completion.
func TestOpensReleasedSchema(t *testing.T) {
	t.Parallel()
	if *writeSchemaFixture {
		t.Skip("writing the fixture")
	}
	path, ids := copyFixture(t)
	s, err := New(&Config{Addr: "127.0.0.1:0", DBPath: path, Clock: fixtureClock(t, path)})
	require.NoError(t, err)
	defer func() { require.NoError(t, s.Stop(context.Background())) }()
	h := s.Handler()

	st, out := workflowStatus(t, h, ids.Completed)
	require.Equal(t, "COMPLETED", st)
	require.Equal(t, map[string]any{"result": 2.0}, out)

	// The task a worker held before the upgrade takes its result.
	complete(t, h, ids.InProgress, ids.TaskID, 20)
	st, out = workflowStatus(t, h, ids.InProgress)
	require.Equal(t, "COMPLETED", st)
	require.Equal(t, map[string]any{"result": 21.0}, out)

	// The queued task is still in its queue.
	complete(t, h, ids.Scheduled, pollOne(t, h), 30)
	st, out = workflowStatus(t, h, ids.Scheduled)
	require.Equal(t, "COMPLETED", st)
	require.Equal(t, map[string]any{"result": 31.0}, out)

	// And new workflows start on the migrated file.
	id := mustDo(t, h, "POST", "/api/workflow/fixture_wf", `{}`)
	complete(t, h, id, pollOne(t, h), 40)
	st, _ = workflowStatus(t, h, id)
	require.Equal(t, "COMPLETED", st)
}

// TestRefusesNewerSchema: a database written by a newer Baton (a schema
// version this code does not know) is refused, and left as it was.
func TestRefusesNewerSchema(t *testing.T) {
	t.Parallel()
	if *writeSchemaFixture {
		t.Skip("writing the fixture")
	}
	path, _ := copyFixture(t)
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec("UPDATE schema_version SET version = 9999")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	before, err := os.ReadFile(path)
	require.NoError(t, err)

	_, err = New(&Config{Addr: "127.0.0.1:0", DBPath: path})
	require.ErrorContains(t, err, "database schema version 9999 is newer than this Baton supports")
	require.ErrorContains(t, err, "upgrade Baton, or use another path")
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, before, after, "a refused database is not changed")
}
