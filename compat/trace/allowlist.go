package trace

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"
)

// Allowlist is the list of intended differences between a target and the golden (real Conductor)
// traces. docs/compatibility.md renders it, so every entry carries the reason a person reads there.
type Allowlist struct {
	Entries []Entry `json:"entries"`
}

// Entry excuses the differences at the paths its pattern matches, in the scenarios its scenario
// pattern matches; when Golden and/or Actual are set, only differences with exactly those values.
type Entry struct {
	// Scenario is a shell-style pattern over scenario names ("*", "malformed_*").
	Scenario string `json:"scenario"`
	// Path is a pattern over diff paths: "[*]" matches any index (and the step name after a step
	// index), "*" matches within one segment (no dot), "**" matches anything. Examples:
	// "steps[*].contentType", "steps[*](update: no body).status".
	Path string `json:"path"`
	// Golden and Actual, when present, pin the values: {"golden": 500, "actual": 400}.
	Golden json.RawMessage `json:"golden,omitempty"`
	Actual json.RawMessage `json:"actual,omitempty"`
	// Reason says why the difference is intended; docs/compatibility.md shows it.
	Reason string `json:"reason"`

	re *regexp.Regexp
}

// LoadAllowlist reads and checks an allowlist file.
func LoadAllowlist(file string) (*Allowlist, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("read allowlist: %w", err)
	}
	return ParseAllowlist(b)
}

// ParseAllowlist decodes an allowlist, rejecting unknown fields and entries without a scenario
// pattern, path pattern or reason.
func ParseAllowlist(b []byte) (*Allowlist, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var al Allowlist
	if err := dec.Decode(&al); err != nil {
		return nil, fmt.Errorf("decode allowlist: %w", err)
	}
	var errs []error
	for i := range al.Entries {
		e := &al.Entries[i]
		if e.Scenario == "" || e.Path == "" || strings.TrimSpace(e.Reason) == "" {
			errs = append(errs, fmt.Errorf("allowlist entry %d: scenario, path and reason are all required", i))
			continue
		}
		if _, err := path.Match(e.Scenario, ""); err != nil {
			errs = append(errs, fmt.Errorf("allowlist entry %d: bad scenario pattern %q: %w", i, e.Scenario, err))
		}
		e.re = compilePathPattern(e.Path)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &al, nil
}

// compilePathPattern turns "steps[*](POST /tasks).**" into an anchored regexp.
func compilePathPattern(p string) *regexp.Regexp {
	var sb strings.Builder
	sb.WriteString("^")
	for i := 0; i < len(p); i++ {
		switch {
		case strings.HasPrefix(p[i:], "[*]"):
			// Any index, with or without the step name that follows step indexes.
			sb.WriteString(`\[\d+\](?:\([^.]*\))?`)
			i += 2
		case strings.HasPrefix(p[i:], "**"):
			sb.WriteString(".*")
			i++
		case p[i] == '*':
			sb.WriteString(`[^.]*`)
		default:
			sb.WriteString(regexp.QuoteMeta(p[i : i+1]))
		}
	}
	sb.WriteString("$")
	return regexp.MustCompile(sb.String())
}

// Match returns the first entry that excuses d in scenario, or nil.
func (al *Allowlist) Match(scenario string, d Diff) *Entry {
	if al == nil {
		return nil
	}
	for i := range al.Entries {
		e := &al.Entries[i]
		if ok, _ := path.Match(e.Scenario, scenario); !ok {
			continue
		}
		if e.re == nil {
			e.re = compilePathPattern(e.Path)
		}
		if !e.re.MatchString(d.Path) {
			continue
		}
		if len(e.Golden) > 0 && !rawEqual(e.Golden, d.Golden) || len(e.Actual) > 0 && !rawEqual(e.Actual, d.Actual) {
			continue
		}
		return e
	}
	return nil
}

func rawEqual(raw json.RawMessage, v any) bool {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var want any
	if err := dec.Decode(&want); err != nil {
		return false
	}
	return equalJSON(want, v)
}

// Verdict is the outcome of comparing one scenario's trace with its golden trace.
type Verdict struct {
	Scenario   string    `json:"scenario"`
	Unexpected []Diff    `json:"unexpected,omitempty"`
	Allowed    []Allowed `json:"allowed,omitempty"`
}

// Allowed is a difference an allowlist entry excused.
type Allowed struct {
	Diff
	Reason string `json:"reason"`
}

// Judge compares and sorts every difference into unexpected or allowed (al may be nil: nothing
// is allowed, which is how the real server is held to its own golden traces).
func Judge(scenario string, golden, actual map[string]any, al *Allowlist) Verdict {
	v := Verdict{Scenario: scenario}
	for _, d := range Compare(golden, actual) {
		if e := al.Match(scenario, d); e != nil {
			v.Allowed = append(v.Allowed, Allowed{Diff: d, Reason: e.Reason})
			continue
		}
		v.Unexpected = append(v.Unexpected, d)
	}
	return v
}
