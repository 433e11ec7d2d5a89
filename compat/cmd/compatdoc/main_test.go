package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/batonhq/baton/compat/scenario"
	"github.com/batonhq/baton/compat/trace"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// compatDir is the real compat directory: golden traces, allowlist, pins.
const compatDir = "../.."

// fixture writes a results directory: every scenario passes on both
// targets, except that Baton's poll_task_shape has one unexpected
// difference at step 3 (GET /tasks/poll/{taskType}) and one allowed one.
func fixture(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, target := range targets {
		var vs []verdict
		for _, sc := range scenario.All() {
			v := verdict{Scenario: sc.Name, Target: target, Pass: true}
			if target == "baton" && sc.Name == "poll_task_shape" {
				v.Pass = false
				v.Unexpected = []trace.Diff{{Path: "steps[3](GET /tasks/poll/{taskType}).response.status", Golden: "IN_PROGRESS", Actual: "SCHEDULED"}}
				v.Allowed = []trace.Allowed{{Diff: trace.Diff{Path: "steps[4](GET /tasks/{taskId}).contentType"},
					Reason: "Baton answers a client mistake with 400, Conductor with 500"}}
			}
			vs = append(vs, v)
		}
		b, err := json.Marshal(vs)
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, target+".json"), b, 0o644))
	}
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "sdk"), 0o755))
	for name, body := range map[string]string{
		"baton-go.log":         "sdkcheck go: PASS\n",
		"conductor-go.log":     "sdkcheck go: FAIL: something\n",
		"baton-js.log":         "some output\nsdkcheck js: PASS (5 workflows)\n",
		"baton-auth-go.log":    "sdkcheck go: PASS with an application key\n",
		"baton-bad-key-go.log": "sdkcheck go: PASS: a wrong key secret is refused\n",
		"baton-auth-js.log":    "sdkcheck js: PASS with an application key\n",
		"baton-bad-key-js.log": "sdkcheck js: FAIL: OrkesClients.from succeeded\n",
	} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "sdk", name), []byte(body), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sdkcheck.log"), []byte("ok  \tgithub.com/batonhq/baton/compat/sdkcheck\t21.3s\n"), 0o644))
	return dir
}

func TestRender(t *testing.T) {
	t.Parallel()
	in, err := load(fixture(t), compatDir)
	require.NoError(t, err)
	summary := renderSummary(in, scenario.All())
	n := len(scenario.All())
	for _, want := range []string{
		fmt.Sprintf("| Baton server | %d | %d | 0 | 1 |", n, n-1),
		fmt.Sprintf("| Conductor OSS 3.32.1 | %d | %d | 0 | 0 |", n, n),
		"| conductor-go (Go) | v1.5.4 | pass | **FAIL** | pass |",
		"| @io-orkes/conductor-javascript (JavaScript) | 4.0.0 | pass | — | **FAIL** |",
		"| conductor-python (Python) | 2.0.0 | — | — | — |",
		"| Baton's SDK (client, worker) | this tree | — | pass | — |",
		"| `GET /api/tasks/{taskId}` |",
		"| `poll_task_shape` | the full Task a worker receives, and GET /tasks/{id} | **differs** (1) | same |",
		"#### Conductor's own specs",
	} {
		require.Contains(t, summary, want)
	}
	var pollRow string
	for _, line := range strings.Split(summary, "\n") {
		if strings.HasPrefix(line, "| `GET /api/tasks/poll/{taskType}` |") {
			pollRow = line
		}
	}
	require.True(t, strings.HasSuffix(pollRow, "| **differs** (1) | same |"), pollRow)
	require.Equal(t, summary, renderSummary(in, scenario.All()), "the same inputs give the same text")

	list := renderAllowlist(in)
	require.Contains(t, list, "**Baton answers a client mistake with 400, Conductor with 500** _(1 difference in the last run)_")
	require.Contains(t, list, "   - `errors_malformed` step `update: no body`: `status` `500` → `400`, `response.status` `500` → `400`\n")
	require.Contains(t, list, "   - `skip_task_io` step `skip a (already scheduled)`: `status` `500` → `409`, `response.status` `500` → `409`\n")
	require.Contains(t, list, "   - `errors_malformed` step `batch poll: negative count`: `status` `200` → `400`, `**`\n")
	require.Contains(t, list, "   - `failure_workflow*` `steps[*].**.inputData.failedStatus`: any → `\"FAILED\"`\n")
	require.Contains(t, list, "_(not seen in the last run)_")
}

func TestMerge(t *testing.T) {
	t.Parallel()
	doc := "# T\nhand\n<!-- compatdoc:begin summary -->\nold\n<!-- compatdoc:end summary -->\nmiddle\n" +
		"<!-- compatdoc:begin allowlist -->\n<!-- compatdoc:end allowlist -->\nend\n"
	out, err := merge([]byte(doc), map[string]string{"summary": "S\n", "allowlist": "A\n"})
	require.NoError(t, err)
	require.Equal(t, "# T\nhand\n<!-- compatdoc:begin summary -->\nS\n<!-- compatdoc:end summary -->\nmiddle\n"+
		"<!-- compatdoc:begin allowlist -->\nA\n<!-- compatdoc:end allowlist -->\nend\n", string(out))
	again, err := merge(out, map[string]string{"summary": "S\n", "allowlist": "A\n"})
	require.NoError(t, err)
	require.Equal(t, out, again)

	for _, bad := range []string{
		"# no markers\n",
		strings.Replace(doc, "<!-- compatdoc:end allowlist -->", "", 1),
		strings.Replace(doc, "end\n", "<!-- compatdoc:begin summary -->\n", 1),
		"<!-- compatdoc:end summary -->\n<!-- compatdoc:begin summary -->\n<!-- compatdoc:begin allowlist -->\n<!-- compatdoc:end allowlist -->\n",
	} {
		_, err := merge([]byte(bad), map[string]string{"summary": "S\n", "allowlist": "A\n"})
		require.ErrorContains(t, err, "nothing was written", bad)
	}
}

func TestRun(t *testing.T) {
	t.Parallel()
	results := fixture(t)
	doc := filepath.Join(t.TempDir(), "compatibility.md")
	const hand = "# Compatibility\n\nhand-written\n\n<!-- compatdoc:begin summary -->\n<!-- compatdoc:end summary -->\n\n" +
		"## more hand-written\n\n<!-- compatdoc:begin allowlist -->\n<!-- compatdoc:end allowlist -->\n"
	require.NoError(t, os.WriteFile(doc, []byte(hand), 0o644))
	require.NoError(t, run([]string{"-results", results, "-doc", doc, "-compat", compatDir}))
	first, err := os.ReadFile(doc)
	require.NoError(t, err)
	require.Contains(t, string(first), "hand-written\n")
	require.Contains(t, string(first), "## more hand-written\n")
	require.Contains(t, string(first), "### Endpoints")
	require.NoError(t, run([]string{"-results", results, "-doc", doc, "-compat", compatDir}))
	second, err := os.ReadFile(doc)
	require.NoError(t, err)
	require.Equal(t, string(first), string(second))

	require.ErrorContains(t, run([]string{"-results", t.TempDir(), "-doc", doc, "-compat", compatDir}), "no results in")
	require.ErrorContains(t, run([]string{"-results", "", "-doc", doc}), "say where the results are")
	require.ErrorContains(t, run([]string{"-results", results, "-doc", filepath.Join(t.TempDir(), "none.md"), "-compat", compatDir}), "read the document")
	require.Error(t, run([]string{"-no-such-flag"}))
}

func TestSdkcheckResult(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for body, want := range map[string]string{
		"ok  \tpkg\t1s\n":                          "pass",
		"--- FAIL: TestX\nFAIL\tpkg\t1s\n":         "FAIL",
		"panic: boom\n":                            "FAIL",
		"compile error, no verdict\n":              "FAIL",
		"ok  \tpkg\t1s\n--- FAIL: TestY (0.00s)\n": "FAIL",
	} {
		f := filepath.Join(dir, "log")
		require.NoError(t, os.WriteFile(f, []byte(body), 0o644))
		require.Equal(t, want, sdkcheckResult(f), body)
	}
	require.Empty(t, sdkcheckResult(filepath.Join(dir, "missing")))
}
