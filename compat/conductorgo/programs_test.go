package conductorgo_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// serverURL returns COMPAT_BASE_URL, or the URL of a server for this test.
func serverURL(t *testing.T) (string, *batontest.Server) {
	if u := os.Getenv("COMPAT_BASE_URL"); u != "" {
		return u, nil
	}
	srv := batontest.NewServer(t)
	return srv.URL(), srv
}

// build compiles the program in dir and returns the binary's path.
func build(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), filepath.Base(dir))
	out, err := exec.CommandContext(t.Context(), "go", "build", "-o", bin, "./"+dir).CombinedOutput()
	require.NoError(t, err, "go build ./%s:\n%s", dir, out)
	return bin
}

// output collects a program's output; the test reads it while the
// program writes.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// command returns the program at bin, pointed at url, its output in out.
func command(ctx context.Context, bin, url string, out *output) *exec.Cmd {
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), "CONDUCTOR_SERVER_URL="+url)
	cmd.Stdout, cmd.Stderr = out, out
	return cmd
}

func TestProgramsRun(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		dir  string
		want []string // lines of output, in order
	}{
		{"hello_world", []string{"Started workflow with Id: ", "Output of the workflow: map[Greetings:Hello, Gopher]"}},
		{"workflow_sdk", []string{"started true <nil>", "executed COMPLETED", "struct input John Doe COMPLETED <nil>"}},
	} {
		t.Run(tc.dir, func(t *testing.T) {
			t.Parallel()
			url, _ := serverURL(t)
			bin := build(t, tc.dir)
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			var out output
			require.NoError(t, command(ctx, bin, url, &out).Run(), "output:\n%s", out.String())
			rest := out.String()
			for _, line := range tc.want {
				i := strings.Index(rest, line)
				require.GreaterOrEqual(t, i, 0, "want %q in the output, after the lines before it:\n%s", line, out.String())
				rest = rest[i+len(line):]
			}
		})
	}
}

// TestWorkersProgramRunsUntilSignalled runs docs/workers_sdk.md's workers
// for a workflow, then stops the program as an orchestrator would.
func TestWorkersProgramRunsUntilSignalled(t *testing.T) {
	t.Parallel()
	url, srv := serverURL(t)
	if srv == nil {
		t.Skip("starts workflows on the test's own server")
	}
	bin := build(t, "workers_sdk")
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	var out output
	cmd := command(ctx, bin, url, &out)
	require.NoError(t, cmd.Start())

	api := srv.Client()
	def := model.NewWorkflowDef("workers_sdk", model.WorkflowTask{Name: "simple_task", TaskReferenceName: "simple", Type: model.TaskTypeSimple})
	require.NoError(t, api.Metadata().RegisterWorkflowDef(ctx, def, true))
	id, err := api.Workflows().Start(ctx, model.NewStartWorkflowRequest("workers_sdk", 1, "", nil))
	require.NoError(t, err)
	wf, err := srv.Await(ctx, id, batontest.Want{Status: model.WorkflowCompleted, Tasks: []batontest.WantTask{
		{Ref: "simple", Status: model.TaskCompleted, Output: map[string]any{"Message": "Hello World", "Keys": []string{"Key1", "Key2"}}},
	}})
	require.NoError(t, err, "program output:\n%s", out.String())
	require.IsType(t, float64(0), wf.Tasks[0].OutputData["Value"])

	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	require.NoError(t, cmd.Wait(), "WaitWorkers returns after SIGTERM; output:\n%s", out.String())
}
