package compat_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/batonhq/baton/compat/scenario"
	"github.com/batonhq/baton/compat/trace"
)

var (
	baseURL = flag.String("base-url", os.Getenv("COMPAT_BASE_URL"),
		"API root of the server under test, e.g. http://127.0.0.1:8080/api (env COMPAT_BASE_URL)")
	target = flag.String("target", envOr("COMPAT_TARGET", "baton"),
		"what the server is: conductor (the oracle: held to its golden traces with no allowlist) or baton (env COMPAT_TARGET)")
	update  = flag.Bool("update", false, "record the golden traces from the server (only with -target conductor)")
	results = flag.String("results", os.Getenv("COMPAT_RESULTS"), "write every scenario's verdict as JSON to this file (env COMPAT_RESULTS)")
	traces  = flag.String("traces", os.Getenv("COMPAT_TRACES"), "write every scenario's normalised trace to this directory (env COMPAT_TRACES)")
)

const (
	goldenDir     = "testdata/conductor"
	allowlistFile = "allowlist.json"
)

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// transport is shared by all scenarios; TestMain closes its idle connections before the leak check.
var transport = &http.Transport{MaxIdleConnsPerHost: 64, IdleConnTimeout: 30 * time.Second}

func TestMain(m *testing.M) {
	flag.Parse()
	// Scenarios mostly wait on the server: run them all at once unless -parallel says otherwise.
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", "64")
	}
	code := m.Run()
	transport.CloseIdleConnections()
	if err := goleak.Find(); err != nil && code == 0 {
		fmt.Fprintln(os.Stderr, "goleak:", err)
		code = 1
	}
	os.Exit(code)
}

// Verdict is one line of the results file.
type Verdict struct {
	trace.Verdict
	Target   string  `json:"target"`
	Pass     bool    `json:"pass"`
	Aborted  string  `json:"aborted,omitempty"`
	Seconds  float64 `json:"seconds"`
	Source   string  `json:"source,omitempty"`
	Recorded bool    `json:"recorded,omitempty"`
}

func TestScenarios(t *testing.T) {
	if os.Getenv("COMPAT") == "off" {
		t.Skip("COMPAT=off: compatibility suite skipped")
	}
	if *baseURL == "" {
		t.Fatal("no server to test: set COMPAT_BASE_URL (or -base-url) to a Conductor-compatible API root and " +
			"COMPAT_TARGET=conductor|baton, or run compat/run.sh, which starts the servers; COMPAT=off skips the suite")
	}
	if *target != "conductor" && *target != "baton" {
		t.Fatalf("-target %q: want conductor or baton", *target)
	}
	if *update && *target != "conductor" {
		t.Fatal("-update records golden traces from the real Conductor server only: add -target conductor")
	}
	var al *trace.Allowlist
	if *target != "conductor" {
		var err error
		if al, err = trace.LoadAllowlist(allowlistFile); err != nil {
			t.Fatal(err)
		}
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: transport}
	tgt := scenario.Target{BaseURL: *baseURL, Client: client}
	runID := newRunID(t)

	var mu sync.Mutex
	var verdicts []Verdict
	t.Cleanup(func() { writeResults(t, verdicts) })
	for _, sc := range scenario.All() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			v := Verdict{Target: *target, Source: sc.Source}
			v.Scenario = sc.Name
			defer func() { // also when runOne stops the test with Fatal
				v.Pass = v.Pass && !t.Failed()
				mu.Lock()
				verdicts = append(verdicts, v)
				mu.Unlock()
			}()
			runOne(t, tgt, sc, runID, al, &v)
		})
	}
}

func runOne(t *testing.T, tgt scenario.Target, sc scenario.Scenario, runID string, al *trace.Allowlist, v *Verdict) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	res, err := scenario.Run(ctx, tgt, sc, runID)
	if err != nil {
		t.Fatal(err)
	}
	v.Aborted, v.Seconds = res.Trace.Aborted, res.Elapsed.Seconds()
	if *traces != "" {
		if err := trace.WriteGolden(filepath.Join(*traces, sc.Name+".json"), res.Normalized); err != nil {
			t.Error(err)
		}
	}
	for _, st := range res.Trace.Steps {
		if st.Kind == trace.KindCheck && st.OK != nil && !*st.OK {
			t.Logf("CHECK FAILED (%s server): %s", *target, st.Label)
		}
	}
	golden := filepath.Join(goldenDir, sc.Name+".json")
	if *update {
		if res.Trace.Aborted != "" {
			t.Fatalf("not recording an aborted trace: %s", res.Trace.Aborted)
		}
		if err := trace.WriteGolden(golden, res.Normalized); err != nil {
			t.Fatal(err)
		}
		v.Pass, v.Recorded = true, true
		return
	}
	want, err := trace.ReadGolden(golden)
	if err != nil {
		t.Fatal(err)
	}
	v.Verdict = trace.Judge(sc.Name, want, res.Normalized, al)
	v.Pass = len(v.Unexpected) == 0
	if res.Trace.Aborted != "" {
		t.Errorf("scenario aborted: %s", res.Trace.Aborted)
	}
	for _, a := range v.Allowed {
		t.Logf("allowed: %s (%s)", a.Diff, a.Reason)
	}
	for i, d := range v.Unexpected {
		if i == 40 {
			t.Errorf("... and %d more differences", len(v.Unexpected)-i)
			break
		}
		t.Errorf("unexpected difference: %s", d)
	}
}

func newRunID(t *testing.T) string {
	b := make([]byte, 3)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}

func writeResults(t *testing.T, vs []Verdict) {
	if *results == "" {
		return
	}
	sort.Slice(vs, func(i, j int) bool { return vs[i].Scenario < vs[j].Scenario })
	b, err := json.MarshalIndent(vs, "", "  ")
	if err != nil {
		t.Error(err)
		return
	}
	if err := os.WriteFile(*results, b, 0o644); err != nil {
		t.Errorf("write results: %v", err)
	}
	failed := 0
	for _, v := range vs {
		if !v.Pass {
			failed++
		}
	}
	t.Logf("%d scenarios against %s, %d failed; results in %s", len(vs), *target, failed, strings.TrimSpace(*results))
}
