package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The worker child is this program run as `bench child-worker ...`: one
// contender per process, so its CPU time (getrusage) is its own. It talks to
// the harness over stdin/stdout, one line per message:
//
//	child → "ready"             flags parsed, nothing started
//	harness → "go"              child samples its CPU and starts polling
//	child → "started"
//	child → "h ID ENTRY RETURN" per task with -trace (unix ns at handler entry and return)
//	harness → "stop"            child samples its CPU, then shuts its worker down
//	child → "cpu USER_NS SYS_NS MALLOCS BYTES"
//
// Between "go" and "stop" the child does nothing but work.

// contender starts a worker of one implementation; the returned function
// stops it.
type contender func(cfg childConfig, handler func(id string)) (stop func(), err error)

var contenders = map[string]contender{
	"baton":     startBaton,
	"conductor": startConductorGo,
	"raw":       startRaw,
}

// contenderOrder is the order of the first round; later rounds rotate it.
var contenderOrder = []string{"baton", "conductor", "raw"}

// beforeContender is Baton's WorkerHost as an earlier commit built it
// (-before-bin): a bench binary from that commit runs it as its "baton"
// contender. It joins measurement 1 only.
const beforeContender = "before"

// beforeBin is -before-bin, or "".
var beforeBin string

// drainContenders are measured in measurement 1: the contenders, and the
// earlier build when there is one.
func drainContenders() []string {
	if beforeBin == "" {
		return contenderOrder
	}
	return append(slices.Clone(contenderOrder), beforeContender)
}

var contenderTitle = map[string]string{
	"baton":     "Baton WorkerHost",
	"conductor": "conductor-go v1.5.4 TaskRunner",
	"raw":       "raw loop (batch poll + update-v2)",
}

type childConfig struct {
	impl, url, task string
	caFile          string // trusted through SSL_CERT_FILE, for an https url
	conc            int
	pollInterval    time.Duration
	trace           bool
	cpuProfile      string
	memProfile      string
}

func childWorker(args []string) int {
	var c childConfig
	fs := flag.NewFlagSet("child-worker", flag.ContinueOnError)
	fs.StringVar(&c.impl, "impl", "baton", "baton, conductor or raw")
	fs.StringVar(&c.url, "url", "", "server API base URL")
	fs.StringVar(&c.task, "task", "", "task type")
	fs.IntVar(&c.conc, "conc", 32, "concurrency (batch size)")
	fs.DurationVar(&c.pollInterval, "poll-interval", 100*time.Millisecond, "poll interval")
	fs.BoolVar(&c.trace, "trace", false, "report handler entry and return times")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the go–stop window here")
	fs.StringVar(&c.memProfile, "memprofile", "", "write an allocation profile (sampled every 4 KiB, which costs CPU) here at stop")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	start, ok := contenders[c.impl]
	if !ok || c.url == "" || c.task == "" {
		fmt.Fprintf(os.Stderr, "child-worker: need -impl (baton|conductor|raw), -url and -task\n")
		return 2
	}
	if c.memProfile != "" {
		runtime.MemProfileRate = 4096
	}
	out := &lineWriter{w: bufio.NewWriter(os.Stdout)}
	in := bufio.NewScanner(os.Stdin)
	out.println("ready")
	if !waitLine(in, "go") {
		return 1
	}

	var traces chan string
	var traceDone sync.WaitGroup
	handler := func(string) {}
	if c.trace {
		traces = make(chan string, 4096)
		handler = func(id string) {
			entry := time.Now().UnixNano()
			ret := time.Now().UnixNano()
			traces <- fmt.Sprintf("h %s %d %d", id, entry, ret)
		}
		traceDone.Go(func() {
			for l := range traces {
				out.println(l)
			}
		})
	}
	if c.cpuProfile != "" {
		f, err := os.Create(c.cpuProfile)
		if err == nil {
			_ = pprof.StartCPUProfile(f)
			defer f.Close()
		}
	}
	u0, s0 := rusage()
	var m0 runtime.MemStats
	runtime.ReadMemStats(&m0)
	stop, err := start(c, handler)
	if err != nil {
		fmt.Fprintf(os.Stderr, "child-worker: start %s: %v\n", c.impl, err)
		return 1
	}
	out.println("started")
	waitLine(in, "stop")
	u1, s1 := rusage()
	var m1 runtime.MemStats
	runtime.ReadMemStats(&m1)
	if c.cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if c.memProfile != "" {
		if f, err := os.Create(c.memProfile); err == nil {
			_ = pprof.Lookup("allocs").WriteTo(f, 0)
			f.Close()
		}
	}
	out.println(fmt.Sprintf("cpu %d %d %d %d", u1-u0, s1-s0, m1.Mallocs-m0.Mallocs, m1.TotalAlloc-m0.TotalAlloc))
	stop()
	if traces != nil {
		close(traces)
		traceDone.Wait()
	}
	return 0
}

// lineWriter writes whole lines, flushed at once, from any goroutine.
type lineWriter struct {
	mu sync.Mutex
	w  *bufio.Writer
}

func (l *lineWriter) println(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = l.w.WriteString(s + "\n")
	_ = l.w.Flush()
}

// waitLine reads lines until want; false at EOF.
func waitLine(in *bufio.Scanner, want string) bool {
	for in.Scan() {
		if strings.TrimSpace(in.Text()) == want {
			return true
		}
	}
	return false
}

// rusage returns this process's user and system CPU time in nanoseconds.
func rusage() (user, sys int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0
	}
	return ru.Utime.Nano(), ru.Stime.Nano()
}

// stopWithin runs stop, giving up after d (a contender that cannot stop
// promptly must not hang the harness; the process exits anyway).
func stopWithin(d time.Duration, stop func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	done := make(chan struct{})
	go func() {
		defer close(done)
		stop(ctx)
	}()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
