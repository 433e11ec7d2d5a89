package scenario

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/batonhq/baton/compat/trace"
)

// Scenario is one compatibility scenario.
type Scenario struct {
	// Name is the golden file's name (testdata/conductor/<Name>.json): snake_case, stable.
	Name string
	// Source names the Conductor spec and feature method the scenario ports
	// ("SimpleWorkflowSpec: Test simple workflow completion"), or says what it covers.
	Source string
	// Full records the embedded definitions (workflowTask, taskDefinition, workflowDefinition)
	// in responses; other scenarios replace them by "<elided>" to keep traces readable.
	Full bool
	Run  func(s *S)
	// Topic groups scenarios in docs/compatibility.md; All sets it from
	// the file that defines the scenario.
	Topic string
}

// Topics lists the scenario topics in the order docs/compatibility.md shows them.
var Topics = []string{
	"Workflow lifecycle", "Polling and task updates", "Retries", "Timeouts",
	"Domains and routing", "Expressions, templates and failure workflows", "Metadata",
	"Errors", "Conductor's own specs", "System tasks", "Events", "Schedules",
}

// All returns every scenario, sorted by name.
func All() []Scenario {
	groups := [][]Scenario{
		lifecycleScenarios(),
		pollScenarios(),
		retryScenarios(),
		timeoutScenarios(),
		routingScenarios(),
		expressionScenarios(),
		metadataScenarios(),
		errorScenarios(),
		specScenarios(),
		sysTaskScenarios(),
		eventScenarios(),
		scheduleScenarios(),
	}
	var all []Scenario
	for i, g := range groups {
		for _, sc := range g {
			sc.Topic = Topics[i]
			all = append(all, sc)
		}
	}
	slices.SortFunc(all, func(a, b Scenario) int { return strings.Compare(a.Name, b.Name) })
	return all
}

// Target is the server a run talks to.
type Target struct {
	// BaseURL is the API root, e.g. http://127.0.0.1:8080/api (no trailing slash needed).
	BaseURL string
	// Client sends the calls. Defaults to a client with a 30 s timeout.
	Client *http.Client
	// AwaitTimeout bounds every wait for an asynchronous effect. Defaults to 30 s.
	AwaitTimeout time.Duration
}

// Result is the outcome of one scenario run.
type Result struct {
	Trace *trace.Trace
	// Normalized is the trace with ids, times and the name prefix normalised: what is compared
	// and what golden files hold.
	Normalized map[string]any
	Elapsed    time.Duration
}

// errAbort is what S.abort panics with; Run turns it into Trace.Aborted.
type errAbort struct{ reason string }

func (e errAbort) Error() string { return e.reason }

// Run runs one scenario against a target. runID makes the scenario's definition names unique on
// a server that other runs use too; it never appears in the normalised trace.
func Run(ctx context.Context, tgt Target, sc Scenario, runID string) (Result, error) {
	if tgt.BaseURL == "" {
		return Result{}, errors.New("scenario: Target.BaseURL is empty; pass the server's API root, e.g. http://127.0.0.1:8080/api")
	}
	if tgt.Client == nil {
		tgt.Client = &http.Client{Timeout: 30 * time.Second}
	}
	if tgt.AwaitTimeout <= 0 {
		tgt.AwaitTimeout = 30 * time.Second
	}
	s := &S{
		ctx:    ctx,
		tgt:    tgt,
		base:   strings.TrimSuffix(tgt.BaseURL, "/"),
		prefix: fmt.Sprintf("cx%s_%s_", runID, sc.Name),
		full:   sc.Full,
		kinds:  map[string]string{},
		tr:     &trace.Trace{Scenario: sc.Name, Source: sc.Source},
	}
	start := time.Now()
	s.run(sc)
	s.finals()
	for _, f := range s.cleanups {
		f()
	}
	generic, err := trace.Generic(s.tr)
	if err != nil {
		return Result{}, err
	}
	n := trace.Normalizer{Prefix: s.prefix, Kinds: s.kinds, Replace: s.replace, Racy: s.racy}
	norm, _ := n.Normalize(generic).(map[string]any)
	return Result{Trace: s.tr, Normalized: norm, Elapsed: time.Since(start)}, nil
}

// run calls the scenario, turning an abort (or any panic: a scenario must never take the suite
// down) into Trace.Aborted.
func (s *S) run(sc Scenario) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		if a, ok := r.(errAbort); ok {
			s.tr.Aborted = a.reason
			return
		}
		s.tr.Aborted = fmt.Sprintf("panic: %v\n%s", r, debug.Stack())
	}()
	sc.Run(s)
}

// finals appends the final state of every workflow the scenario learned about, in the order it
// learned them (unrecorded GETs: the state is the record).
func (s *S) finals() {
	if s.tr.Aborted != "" {
		return
	}
	for _, id := range s.workflows {
		resp, err := s.send(Req{Method: http.MethodGet, Path: "/workflow/{workflowId}", Args: []string{id}})
		step := trace.Step{Kind: trace.KindFinal, Label: "final " + id}
		switch {
		case err != nil:
			step.TransportErr = err.Error()
		case resp.Status != http.StatusOK:
			step.Status = resp.Status
			step.Value = resp.JSON
		default:
			step.Value = s.view(projectWorkflow(resp.JSON), nil)
		}
		s.tr.Steps = append(s.tr.Steps, step)
	}
}
