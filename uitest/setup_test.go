package uitest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/batontest"
	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// bundle is one test's server and browser tab.
type bundle struct {
	srv  *batontest.Server
	base string // http://127.0.0.1:port
	ctx  context.Context
}

// setup starts a server (authentication off, as on any loopback address,
// unless opts say batontest.WithAuth) and opens a tab.
func setup(t *testing.T, opts ...batontest.Option) *bundle {
	t.Helper()
	ctx := tab(t) // first: skips without a browser before starting a server
	srv := batontest.NewServer(t, opts...)
	return &bundle{srv: srv, base: strings.TrimSuffix(srv.URL(), "/api"), ctx: ctx}
}

func (b *bundle) run(t *testing.T, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	require.NoError(t, chromedp.Do(b.ctx, actions...))
}

// eval runs a script in the page and returns its value.
func eval[T any](t *testing.T, b *bundle, script string, opts ...chromedp.EvaluateOption) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](script, opts...))
	require.NoError(t, err)
	return v
}

func (b *bundle) setValue(t *testing.T, sel, value string) {
	t.Helper()
	b.run(t, chromedp.SetValue(chromedp.CSS(sel), value))
}

func (b *bundle) open(t *testing.T, path string, waitFor string) {
	t.Helper()
	b.run(t, chromedp.Navigate(b.base+path), chromedp.WaitVisible(chromedp.CSS(waitFor)))
}

// text returns the text of the first element matching sel.
func (b *bundle) text(t *testing.T, sel string) string {
	t.Helper()
	action := chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible)
	if strings.HasPrefix(sel, "svg") {
		action = chromedp.TextContent(chromedp.CSS(sel), chromedp.NodeVisible) // SVG elements have no innerText
	}
	s, err := chromedp.Run(b.ctx, action)
	require.NoError(t, err, sel)
	return s
}

// count returns how many elements match sel.
func (b *bundle) count(t *testing.T, sel string) int {
	t.Helper()
	return eval[int](t, b, fmt.Sprintf("document.querySelectorAll(%q).length", sel))
}

// follow runs actions that load another page (a click on a link or a
// form's button) and waits for waitFor on the new page: the current page is
// marked first, so an element the old page has does not count.
func (b *bundle) follow(t *testing.T, waitFor string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	eval[string](t, b, `document.body.dataset.stale = "1"`)
	b.run(t, actions...)
	b.run(t, chromedp.WaitVisible(chromedp.CSS("body:not([data-stale]) "+waitFor)))
}

// click follows a link or button.
func (b *bundle) click(t *testing.T, sel, waitFor string) {
	t.Helper()
	b.follow(t, waitFor, chromedp.Click(chromedp.CSS(sel)))
}

// confirmAction submits the action form whose button is btn, accepts the
// confirm dialog, and waits for waitFor on the page that answers.
func (b *bundle) confirmAction(t *testing.T, btn, waitFor string) {
	t.Helper()
	b.follow(t, waitFor,
		chromedp.Click(chromedp.CSS(btn)),
		chromedp.WaitVisible(chromedp.CSS("#confirm-ok")),
		chromedp.Click(chromedp.CSS("#confirm-ok")),
	)
}

func (b *bundle) client() *client.APIClient { return b.srv.Client() }

func (b *bundle) registerTasks(t *testing.T, names ...string) {
	t.Helper()
	var defs []model.TaskDef
	for _, n := range names {
		defs = append(defs, model.TaskDef{Name: n, RetryCount: 0, TimeoutSeconds: 3600, ResponseTimeoutSeconds: 600})
	}
	require.NoError(t, b.client().Metadata().RegisterTaskDefs(context.Background(), defs...))
}

func (b *bundle) register(t *testing.T, def *model.WorkflowDef) {
	t.Helper()
	require.NoError(t, b.client().Metadata().RegisterWorkflowDef(context.Background(), def, true))
}

func (b *bundle) start(t *testing.T, name string, input map[string]any, correlationID string) string {
	t.Helper()
	id, err := b.client().Workflows().StartByName(context.Background(), name, input, client.StartOptions{CorrelationID: correlationID})
	require.NoError(t, err)
	return id
}

// awaitTask waits until workflow id has a task ref in status, woken by
// each change the server commits.
func (b *bundle) awaitTask(t *testing.T, id, ref string, status model.TaskStatus) *model.Workflow {
	t.Helper()
	changed, stop := b.srv.Server().WatchWorkflow(id)
	defer stop()
	timeout := time.After(20 * time.Second)
	for {
		wf, err := b.client().Workflows().Get(context.Background(), id, true)
		require.NoError(t, err)
		for _, tk := range wf.Tasks {
			if tk.ReferenceTaskName == ref && tk.Status == status {
				return wf
			}
		}
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("workflow %s: no task %s in %s; it has:\n%s", id, ref, status, batontest.TaskTable(wf))
		}
	}
}

func (b *bundle) await(t *testing.T, id string, status model.WorkflowStatus) *model.Workflow {
	t.Helper()
	wf, err := b.srv.Await(context.Background(), id, batontest.Want{Status: status})
	require.NoError(t, err)
	return wf
}

func inline(ref, expr string) model.WorkflowTask {
	return model.WorkflowTask{Name: ref, TaskReferenceName: ref, Type: "INLINE",
		InputParameters: map[string]any{"evaluatorType": "javascript", "expression": expr}}
}

func simple(ref string) model.WorkflowTask {
	return model.WorkflowTask{Name: ref, TaskReferenceName: ref, Type: model.TaskTypeSimple}
}
