package main

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var resultLine = regexp.MustCompile(`^  workflow (\d) [0-9a-f-]{36}: COMPLETED \{"mod":4,"summary":\{"Keys":\["mod","oddEven","outputKey1"\],"Message":"order order-(\d) done","Value":10\}\}$`)

// checkOutput checks the parts of the output that do not depend on timing:
// every workflow completed with the output its two workers produce.
func checkOutput(t *testing.T, out string) {
	t.Helper()
	require.Contains(t, out, "Registered workflow baton_quickstart: task_1 -> task_2\n")
	require.Contains(t, out, "  workflow 1: COMPLETED task_1_ref=COMPLETED task_2_ref=COMPLETED\n")
	require.True(t, strings.HasSuffix(out, "3 of 3 workflows completed\n"), out)
	var results int
	for _, line := range strings.Split(out, "\n") {
		if m := resultLine.FindStringSubmatch(line); m != nil {
			require.Equal(t, m[1], m[2], "workflow %s got order %s's output", m[1], m[2])
			results++
		}
	}
	require.Equal(t, 3, results, out)
}

// Not parallel: both tests set CONDUCTOR_SERVER_URL.

func TestQuickstartEmbedded(t *testing.T) {
	t.Setenv(settings.EnvServerURL, "")
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	require.Contains(t, out.String(), "Started an embedded Baton server at http://127.0.0.1:")
	checkOutput(t, out.String())
}

func TestQuickstartAgainstAServer(t *testing.T) {
	srv := batontest.NewServer(t)
	t.Setenv(settings.EnvServerURL, srv.URL())
	var out bytes.Buffer
	require.NoError(t, run(t.Context(), &out))
	require.Contains(t, out.String(), "Using the Conductor server at "+srv.URL()+"\n")
	checkOutput(t, out.String())

	// The definitions are on that server.
	def, err := srv.Client().Metadata().GetWorkflowDef(t.Context(), "baton_quickstart", 1)
	require.NoError(t, err)
	require.Len(t, def.Tasks, 2)
}

func TestSummaryWorkerWithoutInput(t *testing.T) {
	_, err := SummaryWorker(&model.WorkerTask{InputData: map[string]any{}})
	require.True(t, model.IsTerminalError(err))
}
