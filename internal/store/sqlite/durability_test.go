package sqlite_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/model"
)

// The child process of TestDurabilityAfterSIGKILL is this test binary,
// started again with these variables set.
const (
	helperEnv     = "BATON_SQLITE_HELPER_DB"
	helperSyncEnv = "BATON_SQLITE_HELPER_SYNC"
	ackPrefix     = "ACK "
)

// TestDurabilityAfterSIGKILL kills a process that is writing under load and
// checks that every write it acknowledged is in the file afterwards, whole.
func TestDurabilityAfterSIGKILL(t *testing.T) {
	t.Parallel()
	for _, sync := range []sqlite.SyncMode{sqlite.SyncFull, sqlite.SyncNormal} {
		t.Run(string(sync), func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "baton.db")
			acked := runAndKill(t, path, sync, 300)

			st, err := sqlite.Open(context.Background(), sqlite.Config{Path: path})
			require.NoError(t, err, "the file opens after the kill")
			defer func() { require.NoError(t, st.Close()) }()
			ctx := context.Background()
			for _, id := range acked {
				w, err := st.GetWorkflow(ctx, id)
				require.NoError(t, err, "acknowledged workflow %s", id)
				require.Equal(t, id, w.Input["id"])
				tasks, err := st.GetWorkflowTasks(ctx, id)
				require.NoError(t, err)
				require.Len(t, tasks, 1, "acknowledged task of %s", id)
				logs, err := st.TaskLogs(ctx, id+"-t")
				require.NoError(t, err)
				require.Len(t, logs, 1, "acknowledged log of %s", id)
			}
			// Batches in flight at the kill are there whole or not at all.
			all, total, err := st.SearchWorkflows(ctx, store.WorkflowQuery{})
			require.NoError(t, err)
			require.GreaterOrEqual(t, total, int64(len(acked)))
			for _, w := range all {
				tasks, err := st.GetWorkflowTasks(ctx, w.WorkflowId)
				require.NoError(t, err)
				require.Len(t, tasks, 1, "workflow %s without its task", w.WorkflowId)
			}
		})
	}
}

// runAndKill starts the writer child, SIGKILLs it once it has acknowledged
// n batches, and returns every acknowledged id, including those it wrote to
// the pipe before it died.
func runAndKill(t *testing.T, path string, sync sqlite.SyncMode, n int) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperProcess$", "-test.count=1")
	cmd.Env = append(os.Environ(), helperEnv+"="+path, helperSyncEnv+"="+string(sync))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	waited := false
	t.Cleanup(func() {
		if !waited {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})

	var acked []string
	killed := false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		id, ok := strings.CutPrefix(sc.Text(), ackPrefix)
		if !ok {
			continue
		}
		acked = append(acked, id)
		if len(acked) == n && !killed {
			require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
			killed = true
		}
	}
	require.NoError(t, sc.Err())
	err = cmd.Wait()
	waited = true
	require.True(t, killed, "the child stopped after %d acks: %v\n%s", len(acked), err, stderr.String())
	var exitErr *exec.ExitError
	require.ErrorAs(t, err, &exitErr)
	require.Equal(t, syscall.SIGKILL, exitErr.Sys().(syscall.WaitStatus).Signal())
	return acked
}

// TestHelperProcess is the durability test's child: it writes batches from
// several goroutines until it is killed, printing the id of each batch
// after Apply returns.
func TestHelperProcess(t *testing.T) {
	path := os.Getenv(helperEnv)
	if path == "" {
		t.Skip("runs only as the child process of TestDurabilityAfterSIGKILL")
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, sqlite.Config{Path: path, Sync: sqlite.SyncMode(os.Getenv(helperSyncEnv))})
	require.NoError(t, err)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 100_000 { // bounded, in case the parent is gone
				id := fmt.Sprintf("w-%d-%d", g, i)
				if err := st.Apply(ctx, durableBatch(id)); err != nil {
					fmt.Fprintln(os.Stderr, "apply:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Fprintln(os.Stdout, ackPrefix+id) // unbuffered: in the pipe once written
				mu.Unlock()
			}
		})
	}
	wg.Wait()
}

func durableBatch(id string) *store.Batch {
	return &store.Batch{
		Workflows: []*model.Workflow{{
			WorkflowId: id, WorkflowName: "durable", WorkflowVersion: 1, Status: model.WorkflowRunning,
			Input: map[string]any{"id": id, "pad": strings.Repeat("x", 200)},
		}},
		Tasks: []*model.WorkerTask{{
			TaskId: id + "-t", WorkflowInstanceId: id, TaskType: "task_1", Status: model.TaskScheduled,
			InputData: map[string]any{"id": id},
		}},
		Logs: []model.TaskExecLog{{TaskId: id + "-t", Log: "scheduled"}},
	}
}
