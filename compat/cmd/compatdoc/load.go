package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/batonhq/baton/compat/trace"
)

// Targets, in the order the document's columns show them.
var targets = []string{"baton", "conductor"}

// verdict is one line of a results file (compat_test.go's Verdict).
type verdict struct {
	Scenario   string          `json:"scenario"`
	Target     string          `json:"target"`
	Pass       bool            `json:"pass"`
	Aborted    string          `json:"aborted"`
	Unexpected []trace.Diff    `json:"unexpected"`
	Allowed    []trace.Allowed `json:"allowed"`
}

// goldenStep is what the document needs of a golden trace's step.
type goldenStep struct {
	Kind   string `json:"kind"`
	Method string `json:"method"`
	Path   string `json:"path"`
}

// sdk is one official SDK the suite runs against both servers.
type sdk struct {
	Key, Name, Version string
	// Result per target: "pass", "FAIL" or "" (not run). Besides the
	// scenario targets, authTargets.
	Result map[string]string
}

// authTargets are compat/sdk's runs against Baton with authentication on:
// with a key, then with a wrong secret.
var authTargets = []string{"baton-auth", "baton-bad-key"}

// authResult is an SDK's result with authentication: pass when both runs
// passed.
func (s sdk) authResult() string {
	ok, bad := s.Result["baton-auth"], s.Result["baton-bad-key"]
	switch {
	case ok == "FAIL" || bad == "FAIL":
		return "FAIL"
	case ok == "pass" && bad == "pass":
		return "pass"
	default:
		return ""
	}
}

// inputs is everything the document is made from.
type inputs struct {
	// verdicts[target][scenario]; a target whose results file is missing
	// has no entry.
	verdicts  map[string]map[string]verdict
	golden    map[string][]goldenStep
	allowlist *trace.Allowlist
	sdks      []sdk
	// sdkcheck is the result of Baton's SDK against the real server:
	// "pass", "FAIL" or "" (not run).
	sdkcheck string
}

// load reads the inputs: results from resultsDir, the rest from compatDir.
func load(resultsDir, compatDir string) (*inputs, error) {
	in := &inputs{verdicts: map[string]map[string]verdict{}, golden: map[string][]goldenStep{}}
	for _, t := range targets {
		vs, err := readVerdicts(filepath.Join(resultsDir, t+".json"))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		in.verdicts[t] = vs
	}
	if len(in.verdicts) == 0 {
		return nil, fmt.Errorf("no results in %s: run compat/run.sh with COMPAT_OUT=%s first", resultsDir, resultsDir)
	}
	files, err := filepath.Glob(filepath.Join(compatDir, "testdata", "conductor", "*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var g struct {
			Steps []goldenStep `json:"steps"`
		}
		if err := json.Unmarshal(b, &g); err != nil {
			return nil, fmt.Errorf("golden trace %s: %w", f, err)
		}
		in.golden[strings.TrimSuffix(filepath.Base(f), ".json")] = g.Steps
	}
	if in.allowlist, err = trace.LoadAllowlist(filepath.Join(compatDir, "allowlist.json")); err != nil {
		return nil, err
	}
	if in.sdks, err = loadSDKs(resultsDir, compatDir); err != nil {
		return nil, err
	}
	in.sdkcheck = sdkcheckResult(filepath.Join(resultsDir, "sdkcheck.log"))
	return in, nil
}

func readVerdicts(file string) (map[string]verdict, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	var vs []verdict
	if err := json.Unmarshal(b, &vs); err != nil {
		return nil, fmt.Errorf("results %s: %w", file, err)
	}
	out := make(map[string]verdict, len(vs))
	for _, v := range vs {
		out[v.Scenario] = v
	}
	return out, nil
}

// loadSDKs reads the pinned versions and each check's outcome: a log that
// holds compat/sdk's "sdkcheck <sdk>: PASS" line passed.
func loadSDKs(resultsDir, compatDir string) ([]sdk, error) {
	sdks := []sdk{
		{Key: "go", Name: "conductor-go (Go)"},
		{Key: "js", Name: "@io-orkes/conductor-javascript (JavaScript)"},
		{Key: "python", Name: "conductor-python (Python)"},
	}
	pins := []struct {
		file string
		re   *regexp.Regexp
	}{
		{"sdk/go/go.mod", regexp.MustCompile(`(?m)^\s*github\.com/conductor-sdk/conductor-go\s+(\S+)`)},
		{"sdk/js/package.json", regexp.MustCompile(`"@io-orkes/conductor-javascript"\s*:\s*"([^"]+)"`)},
		{"sdk/python/requirements.in", regexp.MustCompile(`(?m)^conductor-python==(\S+)`)},
	}
	for i, p := range pins {
		b, err := os.ReadFile(filepath.Join(compatDir, p.file))
		if err != nil {
			return nil, fmt.Errorf("read the %s pin: %w", sdks[i].Key, err)
		}
		m := p.re.FindSubmatch(b)
		if m == nil {
			return nil, fmt.Errorf("%s: no pinned version found", p.file)
		}
		sdks[i].Version = string(m[1])
		sdks[i].Result = map[string]string{}
		// The authentication runs (Baton only: Conductor OSS has none) come as
		// two logs: with a key, and with a wrong secret that must be refused.
		for _, t := range append(slices.Clone(targets), authTargets...) {
			b, err := os.ReadFile(filepath.Join(resultsDir, "sdk", t+"-"+sdks[i].Key+".log"))
			switch {
			case err != nil:
			case regexp.MustCompile(`(?m)^sdkcheck ` + regexp.QuoteMeta(sdks[i].Key) + `: PASS`).Match(b):
				sdks[i].Result[t] = "pass"
			default:
				sdks[i].Result[t] = "FAIL"
			}
		}
	}
	return sdks, nil
}

// sdkcheckResult reads go test's log of compat/sdkcheck.
func sdkcheckResult(file string) string {
	b, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	if regexp.MustCompile(`(?m)^(FAIL|--- FAIL|panic:)`).Match(b) || !regexp.MustCompile(`(?m)^ok\s`).Match(b) {
		return "FAIL"
	}
	return "pass"
}

var stepIndex = regexp.MustCompile(`^steps\[(\d+)\]`)

// stepOf returns the index of the step a diff path names, or -1.
func stepOf(path string) int {
	m := stepIndex.FindStringSubmatch(path)
	if m == nil {
		return -1
	}
	n, err := strconv.Atoi(m[1])
	if err != nil {
		return -1
	}
	return n
}
