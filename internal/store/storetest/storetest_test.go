package storetest_test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/internal/store"
	"github.com/batonhq/baton/internal/store/sqlite"
	"github.com/batonhq/baton/internal/store/storetest"
	"github.com/batonhq/baton/model"
)

// mutantEnv names the broken store TestMutant runs the suite against, in a
// child process started by TestSuiteCatchesBrokenStores.
const mutantEnv = "BATON_STORETEST_MUTANT"

func TestMain(m *testing.M) {
	if os.Getenv(mutantEnv) != "" {
		os.Exit(m.Run()) // the child is expected to fail; no leak check
	}
	goleak.VerifyTestMain(m)
}

// mutants are stores with one defect each, built on a working store.
var mutants = map[string]func(store.Store) store.Store{
	"shared-reads":     func(s store.Store) store.Store { return &sharedReads{Store: s, cache: map[string]*model.Workflow{}} },
	"non-atomic-apply": func(s store.Store) store.Store { return &nonAtomicApply{s} },
	"ignores-offset":   func(s store.Store) store.Store { return &ignoresOffset{s} },
}

// TestSuiteCatchesBrokenStores runs the suite against each mutant and
// checks that the subtest meant to catch its defect fails.
func TestSuiteCatchesBrokenStores(t *testing.T) {
	t.Parallel()
	cases := []struct{ mutant, subtest string }{
		{"shared-reads", "Read/ReturnsCopies"},
		{"non-atomic-apply", "Apply/InvalidChangesNothing"},
		{"ignores-offset", "Search/Workflows"},
	}
	for _, tc := range cases {
		t.Run(tc.mutant, func(t *testing.T) {
			t.Parallel()
			pattern := "^TestMutant$/^" + strings.ReplaceAll(tc.subtest, "/", "$/^") + "$"
			cmd := exec.Command(os.Args[0], "-test.run="+pattern, "-test.count=1")
			cmd.Env = append(os.Environ(), mutantEnv+"="+tc.mutant)
			out, err := cmd.CombinedOutput()
			require.Error(t, err, "the suite passed a broken store:\n%s", out)
			require.Contains(t, string(out), "--- FAIL: TestMutant/"+tc.subtest)
		})
	}
}

// TestMutant is the child process of TestSuiteCatchesBrokenStores.
func TestMutant(t *testing.T) {
	mutate := mutants[os.Getenv(mutantEnv)]
	if mutate == nil {
		t.Skip("runs only as a child process of TestSuiteCatchesBrokenStores")
	}
	storetest.Run(t, func(t *testing.T) store.Store {
		st, err := sqlite.Open(t.Context(), sqlite.Config{Path: sqlite.MemoryPath})
		require.NoError(t, err)
		return mutate(st)
	})
}

// sharedReads hands every caller the same workflow value.
type sharedReads struct {
	store.Store
	mu    sync.Mutex
	cache map[string]*model.Workflow
}

func (s *sharedReads) GetWorkflow(ctx context.Context, id string) (*model.Workflow, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w, ok := s.cache[id]; ok {
		return w, nil
	}
	w, err := s.Store.GetWorkflow(ctx, id)
	if err == nil {
		s.cache[id] = w
	}
	return w, err
}

// nonAtomicApply applies a batch element by element, keeping what works.
type nonAtomicApply struct{ store.Store }

func (s *nonAtomicApply) Apply(ctx context.Context, b *store.Batch) error {
	var first error
	keep := func(err error) {
		if first == nil {
			first = err
		}
	}
	for _, w := range b.Workflows {
		keep(s.Store.Apply(ctx, &store.Batch{Workflows: []*model.Workflow{w}}))
	}
	for _, tk := range b.Tasks {
		keep(s.Store.Apply(ctx, &store.Batch{Tasks: []*model.WorkerTask{tk}}))
	}
	for _, l := range b.Logs {
		keep(s.Store.Apply(ctx, &store.Batch{Logs: []model.TaskExecLog{l}}))
	}
	keep(s.Store.Apply(ctx, &store.Batch{DeleteTasks: b.DeleteTasks, DeleteWorkflows: b.DeleteWorkflows}))
	return first
}

// ignoresOffset always returns the first page.
type ignoresOffset struct{ store.Store }

func (s *ignoresOffset) SearchWorkflows(ctx context.Context, q store.WorkflowQuery) ([]*model.Workflow, int64, error) {
	q.Offset = 0
	return s.Store.SearchWorkflows(ctx, q)
}
