package main

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCompareOutput: the check compares through JSON (Conductor may send
// 2.0 where Baton sends 2) and names the workflow when they differ.
func TestCompareOutput(t *testing.T) {
	t.Parallel()
	f := flow{key: flowSys, want: sysFlowOutput()}
	got := sysFlowOutput()
	got["loop"].(map[string]any)["1"].(map[string]any)["calc"] = map[string]any{"result": 2.0}
	require.NoError(t, compareOutput(f, "wf1", got))
	got["joined"] = map[string]any{}
	require.ErrorContains(t, compareOutput(f, "wf1", got), "workflow wf1 completed with output")
	require.Error(t, compareOutput(f, "wf1", nil))
}

// TestSysFlowOutput pins what the check expects of the last iteration.
func TestSysFlowOutput(t *testing.T) {
	t.Parallel()
	loop := sysFlowOutput()["loop"].(map[string]any)
	require.Equal(t, sysLoops, loop["iteration"])
	require.Len(t, loop, sysLoops+1, "every iteration's outputs and the count")
	last := loop["5"].(map[string]any)
	require.Equal(t, map[string]any{"result": 10}, last["calc"])
	require.Equal(t, map[string]any{"sum": 15}, last["shape"].(map[string]any)["result"])
}

// TestServerTargetsPerBackend: each Conductor backend asked for gets its own
// target lines, named after it, the system-task workflow against 10×.
func TestServerTargetsPerBackend(t *testing.T) {
	t.Parallel()
	b := &bench{opt: options{conc: 32, starters: []int{16}, servers: serverKinds, flows: []string{flowThree, flowSys}}}
	load := func(kind, flow string, n int) serverLoad {
		return serverLoad{Server: kind, Flow: flow, Starters: 16, Completed: n, Window: 1e9}
	}
	b.res.Load = []serverLoad{
		load("baton-memory", flowThree, 600), load("conductor", flowThree, 100), load("conductor-pg", flowThree, 50),
		load("baton-memory", flowSys, 90), load("conductor", flowSys, 10), load("conductor-pg", flowSys, 5),
	}
	rows := map[string][]string{}
	for _, row := range b.report().targets.rows {
		rows[row[0]] = row
	}
	require.Equal(t, []string{"6.00×", "met"}, rows["baton-memory ≥ 5× Conductor OSS (SQLite) three-task workflows/s (16 starters)"][1:])
	require.Equal(t, []string{"12.00×", "met"}, rows["baton-memory ≥ 5× Conductor OSS (PostgreSQL) three-task workflows/s (16 starters)"][1:])
	require.Equal(t, []string{"9.00×", "MISSED"}, rows["baton-memory ≥ 10× Conductor OSS (SQLite) system-task workflows/s (16 starters)"][1:])
	require.Equal(t, []string{"18.00×", "met"}, rows["baton-memory ≥ 10× Conductor OSS (PostgreSQL) system-task workflows/s (16 starters)"][1:])
	require.Equal(t, "not measured", rows["baton-file ≥ 10× Conductor OSS (PostgreSQL) system-task workflows/s (16 starters)"][2])
}
