package main

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestQuantiles(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		xs   []float64
		q    float64
		want float64
	}{
		{"median of odd", []float64{3, 1, 2}, 0.5, 2},
		{"median of even interpolates", []float64{4, 1, 3, 2}, 0.5, 2.5},
		{"p99 of 1..101", seq(101), 0.99, 100},
		{"min", []float64{5, 7}, 0, 5},
		{"max", []float64{5, 7}, 1, 7},
		{"one value", []float64{9}, 0.99, 9},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			orig := append([]float64(nil), tc.xs...)
			require.InDelta(t, tc.want, quantiles(tc.xs, tc.q)[0], 1e-9)
			require.Equal(t, orig, tc.xs, "input must not be reordered")
		})
	}
	require.True(t, math.IsNaN(quantiles(nil, 0.5)[0]), "no samples: NaN, not a panic")
}

func seq(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = float64(i + 1)
	}
	return out
}

func TestSpreadAndFormat(t *testing.T) {
	t.Parallel()
	s := spreadOf([]float64{30, 10, 20})
	require.Equal(t, spread{Median: 20, Min: 10, Max: 30, N: 3}, s)
	require.Equal(t, "20 (10–30)", fmtSpread(s, "%.0f"))
	require.Equal(t, "7", fmtSpread(spreadOf([]float64{7}), "%.0f"))
	require.Equal(t, "n/a", fmtSpread(spreadOf(nil), "%.0f"))
	require.True(t, math.IsNaN(ratio(1, 0)))
	require.True(t, math.IsNaN(ratio(math.NaN(), 1)))
	require.Equal(t, "not measured", verdict(false, math.NaN()))
	require.Equal(t, "MISSED", verdict(false, 1))
}

// TestRotate checks that over len(xs) rounds every contender takes every
// position, and that the second cycle runs in the other direction.
func TestRotate(t *testing.T) {
	t.Parallel()
	xs := []string{"a", "b", "c"}
	for _, n := range []int{2, 3} {
		in := xs[:n]
		pos := map[string]map[int]bool{}
		for r := range n {
			for i, x := range rotate(in, r) {
				if pos[x] == nil {
					pos[x] = map[int]bool{}
				}
				pos[x][i] = true
			}
		}
		for _, x := range in {
			require.Len(t, pos[x], n, "%s must take every position over %d rounds", x, n)
		}
	}
	require.Equal(t, []string{"a", "b"}, rotate([]string{"a", "b"}, 0))
	require.Equal(t, []string{"b", "a"}, rotate([]string{"a", "b"}, 1))
	require.Equal(t, []string{"b", "a"}, rotate([]string{"a", "b"}, 2), "second cycle reversed")
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
		check   func(t *testing.T, o options)
	}{
		{name: "defaults", args: []string{"-root", "/r"}, check: func(t *testing.T, o options) {
			require.Equal(t, 10000, o.n)
			require.Equal(t, 32, o.conc)
			require.Equal(t, []int{1, 8, 32, 128}, o.scaleConc)
			require.Equal(t, "/r/docs/benchmarks.md", o.out)
			require.Equal(t, "/r/docs/benchmarks.png", o.chart)
		}},
		{name: "short keeps explicit values", args: []string{"-root", "/r", "-short", "-n", "10000"}, check: func(t *testing.T, o options) {
			require.Equal(t, 10000, o.n, "an explicit -n wins over -short")
			require.Equal(t, 3*time.Second, o.duration)
			require.Equal(t, 1, o.serverRounds)
		}},
		{name: "out names the chart", args: []string{"-root", "/r", "-out", "/tmp/x/report.md"}, check: func(t *testing.T, o options) {
			require.Equal(t, "/tmp/x/report.png", o.chart)
		}},
		{name: "unknown measurement", args: []string{"-root", "/r", "-only", "drain,nope"}, wantErr: `unknown measurement "nope"`},
		{name: "unknown server", args: []string{"-root", "/r", "-servers", "redis"}, wantErr: `unknown server "redis"`},
		{name: "unknown workflow", args: []string{"-root", "/r", "-flows", "three-task,dag"}, wantErr: `unknown workflow "dag"`},
		{name: "bad list", args: []string{"-root", "/r", "-scale-conc", "1,x"}, wantErr: "not a list of positive numbers"},
		{name: "zero list entry", args: []string{"-root", "/r", "-starters", "0"}, wantErr: "not a list of positive numbers"},
		{name: "zero N", args: []string{"-root", "/r", "-n", "0"}, wantErr: "-n must be at least 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Not parallel: parseFlags sets the package's contender lists.
			o, err := parseFlags(tc.args)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			tc.check(t, o)
		})
	}
}

func TestTableRendering(t *testing.T) {
	t.Parallel()
	tb := table{title: "T", head: []string{"a", "bb"}, rows: [][]string{{"1", "2"}, {"333", "4"}}, notes: []string{"note"}}
	require.Equal(t, "| a | bb |\n|---|---|\n| 1 | 2 |\n| 333 | 4 |\n\nnote\n", tb.markdown())
	txt := tb.text()
	require.Contains(t, txt, "\nT\n")
	require.Contains(t, txt, "  333  4 ")
	require.Equal(t, 5, strings.Count(txt, "\n"), "blank line, title, head, two rows")
}

// TestTargetsWithinTransport: the worker targets compare contenders over
// the same transport, and a TLS throughput miss is its own line.
func TestTargetsWithinTransport(t *testing.T) {
	t.Parallel()
	run := func(impl string, tls bool, tasksPerSec, cpuUs float64) drainRun {
		return drainRun{Impl: impl, TLS: tls, Acked: 1000, Elapsed: time.Duration(1000 / tasksPerSec * float64(time.Second)),
			CPU: cpuSample{User: time.Duration(cpuUs * 1000 * float64(time.Microsecond))}, Requests: [4]int64{1000, 0, 1000, 0}}
	}
	b := &bench{opt: options{conc: 32, starters: []int{1}}}
	b.res.Drain = []drainRun{
		run("baton", false, 3000, 40), run("conductor", false, 1000, 100), run("raw", false, 2500, 30),
		run("baton", true, 1800, 60), run("conductor", true, 1000, 150), run("raw", true, 2000, 50),
	}
	b.res.Drain[3].Requests[3] = 2000 // all over HTTP/2
	rep := b.report()
	rows := map[string][]string{}
	for _, row := range rep.targets.rows {
		rows[row[0]] = row
	}
	require.Equal(t, []string{"WorkerHost ≥ 2× conductor-go tasks/s at concurrency 32, plain HTTP", "3.00×", "met"},
		rows["WorkerHost ≥ 2× conductor-go tasks/s at concurrency 32, plain HTTP"])
	require.Equal(t, []string{"WorkerHost ≥ 2× conductor-go tasks/s at concurrency 32, TLS", "1.80×", "MISSED"},
		rows["WorkerHost ≥ 2× conductor-go tasks/s at concurrency 32, TLS"])
	require.Equal(t, []string{"WorkerHost ≤ 1/2 of conductor-go's CPU per task, plain HTTP", "0.40× (40.0 vs 100.0 µs)", "met"},
		rows["WorkerHost ≤ 1/2 of conductor-go's CPU per task, plain HTTP"])
	require.Equal(t, "plain HTTP 120%, TLS 90%", rows["(for reference: WorkerHost ÷ raw loop tasks/s)"][1])
	for name := range rows {
		require.NotContains(t, name, "1/3", "the 1/3 CPU target is retired")
	}
	require.Equal(t, "not measured", rows["pickup latency p99 ≤ 10 ms (Baton, long poll, plain HTTP)"][2])

	var drainRows []string
	for _, row := range rep.drain.rows {
		drainRows = append(drainRows, row[0]+" | "+row[1]+" | "+row[len(row)-1])
	}
	require.Equal(t, []string{
		"Baton WorkerHost | HTTP/1.1 | 120%",
		"conductor-go v1.5.4 TaskRunner | HTTP/1.1 | 40%",
		"raw loop (batch poll + update-v2) | HTTP/1.1 | 100%",
		"Baton WorkerHost (TLS) | TLS, HTTP/2 | 90%",
		"conductor-go v1.5.4 TaskRunner (TLS) | TLS, HTTP/1.1 | 50%",
		"raw loop (batch poll + update-v2) (TLS) | TLS, HTTP/1.1 | 100%",
	}, drainRows)
}
