package script

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// hostileScripts are scripts written to hurt the server: each must fail
// with an *Error of its kind while the process's memory stays bounded.
var hostileScripts = []struct {
	name, expr string
	kinds      []error // the limit that stops it; growth that is slow enough may meet the time limit first
}{
	{"endless loop", "while (true) {}", []error{ErrTimeout}},
	{"runaway recursion", "function f() { return f() + 1 } f()", []error{ErrRuntime}},
	{"string doubled in a loop", "var s = 'x'; while (true) { s += s }", []error{ErrMemoryLimit}},
	{"string appended in a loop", "var s = ''; while (true) { s += 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }", growing},
	{"array pushed in a loop", "var a = []; while (true) { a.push({i: a.length}) }", growing},
	{"object grown in a loop", "var o = {}; for (var i = 0; ; i++) { o['k' + i] = i }", growing},
	{"huge repeat", "'x'.repeat(2 ** 40)", []error{ErrMemoryLimit}},
	{"huge array fill", "new Array(2 ** 31).fill(0)", []error{ErrMemoryLimit}},
	{"nested arrays", "var a = []; while (true) { a = [a, a, new Array(1000).join('x') + Math.random()] }", growing},
}

var growing = []error{ErrMemoryLimit, ErrTimeout}

// hostileConfig is what the benchmark and the test run them with: the
// server's defaults (4s, 128 MiB of heap growth, 16M characters, 1M
// elements, 1024 frames).
var hostileConfig = Config{}

// heapPeak samples the Go heap (live and unswept objects) every
// millisecond until stop is called, and returns the highest sample.
func heapPeak() (stop func() uint64) {
	done := make(chan struct{})
	var peak uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(s)
			peak = max(peak, s[0].Value.Uint64())
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		wg.Wait()
		return peak
	}
}

// rssHighWater returns the process's peak resident set (VmHWM), in bytes,
// or 0 where /proc is not there.
func rssHighWater() uint64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// BenchmarkHostileScripts runs each hostile script and reports how far the
// heap grew above where it started (peak-heap-MiB, sampled every
// millisecond) and the process's peak RSS so far (rss-hwm-MiB; it only
// rises, so read it in the order the cases run):
//
//	go test ./internal/script -run '^$' -bench HostileScripts -benchtime 3x
func BenchmarkHostileScripts(b *testing.B) {
	sb := New(hostileConfig)
	ctx := context.Background()
	for _, h := range hostileScripts {
		b.Run(h.name, func(b *testing.B) {
			runtime.GC()
			s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
			metrics.Read(s)
			base := s[0].Value.Uint64()
			stop := heapPeak()
			for b.Loop() {
				runtime.GC() // each run starts without the last one's garbage
				_, err := sb.Eval(ctx, h.expr, nil)
				if !isKind(err, h.kinds) {
					b.Fatalf("got %v, want one of %v", err, h.kinds)
				}
			}
			peak := stop()
			b.ReportMetric(float64(peak-min(peak, base))/(1<<20), "peak-heap-MiB")
			b.ReportMetric(float64(rssHighWater())/(1<<20), "rss-hwm-MiB")
		})
	}
}

func isKind(err error, kinds []error) bool {
	se, ok := err.(*Error) //nolint:errorlint // Eval returns *Error itself
	return ok && slices.Contains(kinds, se.Kind.sentinel())
}

// TestHostileScriptsFail: every hostile script fails with the error of its
// limit (the memory each costs is measured by BenchmarkHostileScripts).
func TestHostileScriptsFail(t *testing.T) {
	// Not parallel: the heap guard measures the process's heap, so other
	// tests' allocations would count against these scripts, and these
	// scripts' against the others.
	sb := New(hostileConfig)
	for _, h := range hostileScripts {
		_, err := sb.Eval(context.Background(), h.expr, nil)
		if !isKind(err, h.kinds) {
			t.Errorf("%s: got %v, want one of %v", h.name, err, h.kinds)
		}
	}
	// A script that makes far more garbage than the limit, but keeps little
	// of it, is not stopped: the runtime collects as it goes.
	churn := New(Config{Timeout: time.Minute, MaxHeapGrowth: 16 << 20})
	got, err := churn.Eval(context.Background(),
		"var n = 0; for (var i = 0; i < 200000; i++) { n += ('x' + i).repeat(200).length } n", nil)
	if err != nil {
		t.Fatalf("churning script: %v", err)
	}
	var want int64
	for i := range 200000 {
		want += int64(200 * (1 + len(strconv.Itoa(i))))
	}
	if got != want {
		t.Fatalf("churning script returned %v, want %d", got, want)
	}
}
