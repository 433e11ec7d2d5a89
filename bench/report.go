package main

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// table is a titled grid, printed as text on stdout and as Markdown in the
// report.
type table struct {
	title string
	head  []string
	rows  [][]string
	notes []string
}

func (t table) text() string {
	w := make([]int, len(t.head))
	for _, r := range append([][]string{t.head}, t.rows...) {
		for i, c := range r {
			w[i] = max(w[i], len([]rune(c)))
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "\n%s\n", t.title)
	line := func(r []string) {
		for i, c := range r {
			fmt.Fprintf(&sb, "  %-*s", w[i], c)
		}
		sb.WriteString("\n")
	}
	line(t.head)
	for _, r := range t.rows {
		line(r)
	}
	return sb.String()
}

func (t table) markdown() string {
	var sb strings.Builder
	sb.WriteString("| " + strings.Join(t.head, " | ") + " |\n|")
	for range t.head {
		sb.WriteString("---|")
	}
	sb.WriteString("\n")
	for _, r := range t.rows {
		sb.WriteString("| " + strings.Join(r, " | ") + " |\n")
	}
	for _, n := range t.notes {
		sb.WriteString("\n" + n + "\n")
	}
	return sb.String()
}

// report holds the tables and ratios of one run.
type report struct {
	b                                              *bench
	targets                                        table
	drain, latency, server, serverSys, scaleWorker table
	scaleServer, cpuN, scaleSys                    table
	chart                                          chartData
}

func (b *bench) report() *report {
	r := &report{b: b}
	r.buildDrain()
	r.buildLatency()
	r.buildServer()
	r.buildTargets()
	return r
}

func (r *report) summary() string {
	var sb strings.Builder
	for _, t := range []table{r.drain, r.latency, r.server, r.serverSys, r.scaleWorker, r.scaleServer, r.cpuN, r.scaleSys, r.targets} {
		if len(t.rows) > 0 {
			sb.WriteString(t.text())
		}
	}
	return sb.String()
}

// drainSpread returns the spread of f over the runs of impl that keep
// accepts.
func drainSpread(runs []drainRun, impl string, keep func(drainRun) bool, f func(drainRun) float64) spread {
	var xs []float64
	for _, d := range runs {
		if d.Impl == impl && keep(d) {
			xs = append(xs, f(d))
		}
	}
	return spreadOf(xs)
}

// transports are the two ways a worker reaches the server: false plain
// HTTP, true HTTPS.
var transports = []bool{false, true}

// onTransport keeps the runs over plain HTTP (tls false) or HTTPS.
func onTransport(tls bool) func(drainRun) bool {
	return func(d drainRun) bool { return d.TLS == tls }
}

// implColour gives each contender its colour in the charts, the same over
// either transport.
func implColour(impl string) int {
	return 1 + slices.Index([]string{"baton", "conductor", "raw", beforeContender}, impl)
}

// titled is a contender's title, marked when it ran over HTTPS.
func titled(impl string, tls bool) string {
	if tls {
		return contenderTitle[impl] + " (TLS)"
	}
	return contenderTitle[impl]
}

func (r *report) buildDrain() {
	res := r.b.res
	r.drain = table{title: fmt.Sprintf("1. Worker drain: %d queued one-task workflows, no-op handler, concurrency %d", r.b.opt.n, r.b.opt.conc),
		head: []string{"worker", "protocol", "tasks/s", "worker CPU µs/task", "allocs/task", "KiB alloc/task", "requests/task (polls)", "server CPU µs/task", "vs raw loop (same transport)"}}
	for _, tls := range transports {
		on := onTransport(tls)
		raw := drainSpread(res.Drain, "raw", on, drainRun.tasksPerSec)
		for _, impl := range drainContenders() {
			tp := drainSpread(res.Drain, impl, on, drainRun.tasksPerSec)
			if tp.N == 0 {
				continue
			}
			protocol := "HTTP/1.1"
			for _, d := range res.Drain {
				if d.Impl == impl && d.TLS == tls {
					protocol = d.protocol()
					if tls {
						protocol = "TLS, " + protocol
					}
					break
				}
			}
			r.drain.rows = append(r.drain.rows, []string{titled(impl, tls), protocol, fmtSpread(tp, "%.0f"),
				fmtSpread(drainSpread(res.Drain, impl, on, drainRun.cpuPerTask), "%.1f"),
				fmtSpread(drainSpread(res.Drain, impl, on, drainRun.allocsPerTask), "%.0f"),
				fmtSpread(drainSpread(res.Drain, impl, on, func(d drainRun) float64 { return float64(d.CPU.Bytes) / 1024 / float64(max(d.Acked, 1)) }), "%.1f"),
				fmt.Sprintf("%.2f (%.3f)", drainSpread(res.Drain, impl, on, drainRun.requestsPerTask).Median, drainSpread(res.Drain, impl, on, drainRun.pollsPerTask).Median),
				fmtSpread(drainSpread(res.Drain, impl, on, drainRun.serverCPUPerTask), "%.1f"),
				pct(ratio(tp.Median, raw.Median))})
			label := impl
			if tls {
				label += "\nTLS"
			}
			r.chart.drain = append(r.chart.drain, bar{label: label, v: tp.Median, lo: tp.Min, hi: tp.Max, colour: implColour(impl)})
		}
	}
	r.drain.notes = []string{
		fmt.Sprintf("Median (min–max) of %d rounds. Worker CPU is the child process's user+system time (getrusage) from the moment it was told to start until the server had acknowledged the last result, divided by the results; the server runs in the harness process, whose CPU in the same window is the server column.", r.b.opt.rounds),
		"(TLS) rows: the same server over HTTPS on loopback (net/http's ServeTLS, a self-signed P-256 certificate the harness writes at start), a fresh one per round like the plain one; each worker trusts it through SSL_CERT_FILE with its default transport unchanged. Protocol is what most of the worker's requests arrived as: Baton's transport (ForceAttemptHTTP2) and the raw loop's (a bare http.Transport) negotiate HTTP/2, conductor-go's sets its own DialContext without ForceAttemptHTTP2 and so stays on HTTP/1.1. The raw-loop ratio compares within one transport.",
	}

	r.scaleWorker = table{title: fmt.Sprintf("4a. Worker throughput against concurrency (%d queued tasks per run), tasks/s", r.b.opt.scaleN),
		head: []string{"concurrency"}}
	for _, impl := range contenderOrder {
		r.scaleWorker.head = append(r.scaleWorker.head, impl+" tasks/s", impl+" CPU µs/task")
	}
	for _, c := range r.b.opt.scaleConc {
		row := []string{fmt.Sprint(c)}
		for _, impl := range contenderOrder {
			keep := func(d drainRun) bool { return d.Conc == c }
			tp := drainSpread(res.Scale, impl, keep, drainRun.tasksPerSec)
			row = append(row, fmtSpread(tp, "%.0f"), fmtSpread(drainSpread(res.Scale, impl, keep, drainRun.cpuPerTask), "%.1f"))
			if tp.N > 0 {
				r.chart.scaleWorker = append(r.chart.scaleWorker, point{series: impl, x: float64(c), y: tp.Median})
			}
		}
		r.scaleWorker.rows = append(r.scaleWorker.rows, row)
	}
	if len(res.Scale) == 0 {
		r.scaleWorker.rows = nil
	}
	r.scaleWorker.notes = []string{"A run that did not finish within the drain deadline is rated on the tasks it did."}

	r.cpuN = table{title: fmt.Sprintf("4c. Worker CPU per task against N (concurrency %d), µs/task", r.b.opt.conc), head: []string{"N"}}
	for _, impl := range contenderOrder {
		r.cpuN.head = append(r.cpuN.head, impl+" µs/task", impl+" tasks/s")
	}
	for _, n := range r.b.opt.cpuNs {
		row := []string{fmt.Sprint(n)}
		for _, impl := range contenderOrder {
			keep := func(d drainRun) bool { return d.N == n }
			row = append(row, fmtSpread(drainSpread(res.CPUvsN, impl, keep, drainRun.cpuPerTask), "%.1f"),
				fmtSpread(drainSpread(res.CPUvsN, impl, keep, drainRun.tasksPerSec), "%.0f"))
		}
		r.cpuN.rows = append(r.cpuN.rows, row)
	}
	if len(res.CPUvsN) == 0 {
		r.cpuN.rows = nil
	}
}

// latencyStats returns the q-quantile of every sample of field across the
// rounds of impl over one transport, and the spread of the per-round
// q-quantiles.
func latencyStats(runs []latencyRun, impl string, tls bool, field func(latencyRun) []float64, q float64) (float64, spread) {
	var pool, per []float64
	for _, l := range runs {
		if l.Impl == impl && l.TLS == tls {
			xs := field(l)
			pool = append(pool, xs...)
			per = append(per, quantiles(xs, q)[0])
		}
	}
	if len(pool) == 0 {
		return math.NaN(), spread{}
	}
	return quantiles(pool, q)[0], spreadOf(per)
}

func (r *report) buildLatency() {
	res := r.b.res
	r.latency = table{title: "2. Pickup latency: one task at a time, ms",
		head: []string{"worker", "start → handler p50", "p99", "handler → ack p50", "p99", "start call p50", "samples"}}
	pick := func(l latencyRun) []float64 { return l.Pickup }
	ack := func(l latencyRun) []float64 { return l.Ack }
	sc := func(l latencyRun) []float64 { return l.StartCall }
	for _, tls := range transports {
		for _, impl := range latencyContenders {
			n := 0
			for _, l := range res.Latency {
				if l.Impl == impl && l.TLS == tls {
					n += len(l.Pickup)
				}
			}
			if n == 0 {
				continue
			}
			cell := func(f func(latencyRun) []float64, q float64) string {
				v, s := latencyStats(res.Latency, impl, tls, f, q)
				if s.N > 1 {
					return fmt.Sprintf("%.2f (%.2f–%.2f)", v, s.Min, s.Max)
				}
				return fmt.Sprintf("%.2f", v)
			}
			r.latency.rows = append(r.latency.rows, []string{titled(impl, tls), cell(pick, 0.5), cell(pick, 0.99),
				cell(ack, 0.5), cell(ack, 0.99), cell(sc, 0.5), fmt.Sprint(n)})
			p50, _ := latencyStats(res.Latency, impl, tls, pick, 0.5)
			p99, _ := latencyStats(res.Latency, impl, tls, pick, 0.99)
			label := impl
			if tls {
				label += " TLS"
			}
			r.chart.latency = append(r.chart.latency, bar{label: label + "\np50", v: p50, colour: implColour(impl)}, bar{label: label + "\np99", v: p99, colour: implColour(impl)})
		}
	}
	r.latency.notes = []string{fmt.Sprintf("Percentiles of all samples pooled; in brackets the range of the per-round values. \"start\" is the moment the harness sent POST /api/workflow (its own round trip, in the last column, is included); handler entry and return are stamped in the worker process, the acknowledgement when the in-process server has answered the result. Random pause of 0–%v between tasks. Workers: concurrency 1, poll interval %v, every other setting at its default (Baton: 1 s long poll; conductor-go: no timeout sent, so the server's 100 ms). (TLS) rows: the same over HTTPS, as in table 1, the harness starting workflows over HTTPS too.", r.b.opt.latencyGap, r.b.opt.pollInterval)}
}

func loadSpread(loads []serverLoad, kind, flow string, starters int, f func(serverLoad) float64) spread {
	var xs []float64
	for _, l := range loads {
		if l.Server == kind && l.Flow == flow && l.Starters == starters {
			xs = append(xs, f(l))
		}
	}
	return spreadOf(xs)
}

func latQ(q float64) func(serverLoad) float64 {
	return func(l serverLoad) float64 { return quantiles(l.Lat, q)[0] }
}

func bootSpread(boots []serverBoot, kind string, f func(serverBoot) []float64) spread {
	var xs []float64
	for _, b := range boots {
		if b.Server == kind {
			xs = append(xs, f(b)...)
		}
	}
	return spreadOf(xs)
}

func (r *report) maxStarters() int { return slices.Max(r.b.opt.starters) }

func (r *report) buildServer() {
	res := r.b.res
	s := r.maxStarters()
	r.server = table{title: fmt.Sprintf("3. Servers: three-task workflows, Baton WorkerHost workers (concurrency %d per task type), %d starters × %d in flight", r.b.opt.conc, s, r.b.opt.window),
		head: []string{"server", "workflows/s", "latency p50 ms", "p99 ms", "start → healthy", "idle RSS MiB", "RSS under load MiB (max)"}}
	for _, kind := range serverKinds {
		wf := loadSpread(res.Load, kind, flowThree, s, serverLoad.perSec)
		if wf.N == 0 {
			continue
		}
		startup := bootSpread(res.Boot, kind, func(b serverBoot) []float64 {
			xs := []float64{ms(b.Startup)}
			for _, d := range b.ExtraStartups {
				xs = append(xs, ms(d))
			}
			return xs
		})
		idle := bootSpread(res.Boot, kind, func(b serverBoot) []float64 { return []float64{float64(b.IdleKiB) / 1024} })
		r.server.rows = append(r.server.rows, []string{serverTitle[kind], fmtSpread(wf, "%.0f"),
			fmtSpread(loadSpread(res.Load, kind, flowThree, s, latQ(0.5)), "%.0f"), fmtSpread(loadSpread(res.Load, kind, flowThree, s, latQ(0.99)), "%.0f"),
			fmtDurSpread(startup), fmtSpread(idle, "%.0f"), fmt.Sprintf("%.0f", r.peakRSS(kind, flowThree))})
		r.chart.server = append(r.chart.server, bar{label: kind, v: wf.Median, lo: wf.Min, hi: wf.Max})
	}
	r.server.notes = []string{
		fmt.Sprintf("Each starter keeps %d workflows in flight (it starts the next when the last task of one has reached its worker). Workflows/s counts last tasks reaching the worker during %v after %v of settling, following a %v warm-up; latency is the server's own createTime → endTime of up to %d workflows per level started in the window (one still running is asked again for up to 30 s). Median (min–max) over %d rounds; each round starts every server afresh, in rotating order.",
			r.b.opt.window, r.b.opt.duration, r.b.opt.settle, r.b.opt.warmup, r.b.opt.latencySampleWf, r.b.opt.serverRounds),
		"Start → healthy: from exec to the first 200 of GET /health. Baton is polled every millisecond; Conductor's time is what compat/server/conductor.sh reports (it polls every 250 ms, so it may be up to that much late). RSS is VmRSS of the server process from /proc: idle 1 s after start with the definitions registered; under load the maximum of samples every 100 ms. Conductor OSS (PostgreSQL)'s RSS is the JVM's alone: the PostgreSQL server's processes (bench/postgres.sh, on the same cores) are not counted.",
	}
	r.server.notes = append(r.server.notes, r.serverErrorNotes()...)

	r.serverSys = table{title: fmt.Sprintf("3s. Servers: a system-task workflow (SWITCH → FORK_JOIN of 3 SIMPLE → JOIN → DO_WHILE ×%d of INLINE + JSON_JQ_TRANSFORM → SIMPLE), %d starters × %d in flight", sysLoops, s, r.b.opt.window),
		head: []string{"server", "workflows/s", "latency p50 ms", "p99 ms", "RSS under load MiB (max)"}}
	for _, kind := range serverKinds {
		wf := loadSpread(res.Load, kind, flowSys, s, serverLoad.perSec)
		if wf.N == 0 {
			continue
		}
		r.serverSys.rows = append(r.serverSys.rows, []string{serverTitle[kind], fmtSpread(wf, "%.0f"),
			fmtSpread(loadSpread(res.Load, kind, flowSys, s, latQ(0.5)), "%.0f"), fmtSpread(loadSpread(res.Load, kind, flowSys, s, latQ(0.99)), "%.0f"),
			fmt.Sprintf("%.0f", r.peakRSS(kind, flowSys))})
	}
	r.serverSys.notes = []string{
		fmt.Sprintf("The same load as table 3 on the same server processes, after it: a JavaScript SWITCH whose case forks three SIMPLE tasks (worked by the same WorkerHost, each answering {\"b\": its task name}) and joins them, a DO_WHILE of %d iterations each running an INLINE (JavaScript) and a JSON_JQ_TRANSFORM that reads it, and a final SIMPLE task whose arrival at its worker counts the workflow done (no worker sees a system task end); latency is createTime → endTime, so it includes that last task. Before its load every server must run one workflow to COMPLETED with the expected output (the case taken, the three branch outputs, every iteration's outputs), or the run stops.", sysLoops),
	}

	r.scaleServer = r.scaleTable("4b. Server throughput against concurrent workflow starters, three-task workflows, workflows/s (latency p99 ms)", flowThree, true)
	r.scaleSys = r.scaleTable("4d. Server throughput against concurrent workflow starters, system-task workflow, workflows/s (latency p99 ms)", flowSys, false)
}

// peakRSS is the largest RSS sample of kind under flow's load, MiB.
func (r *report) peakRSS(kind, flow string) float64 {
	peak := 0.0
	for _, l := range r.b.res.Load {
		if l.Server == kind && l.Flow == flow {
			peak = max(peak, float64(l.RSSMaxKiB)/1024)
		}
	}
	return peak
}

// serverErrorNotes say which servers did not run, and why.
func (r *report) serverErrorNotes() []string {
	var out []string
	if e := r.b.res.ConductorError; e != "" {
		out = append(out, "Conductor OSS: "+e)
	}
	for _, kind := range serverKinds {
		if e := r.b.res.ServerErrors[kind]; e != "" {
			out = append(out, serverTitle[kind]+": left out: "+e)
		}
	}
	return out
}

// scaleTable is workflows/s (p99) of flow by starters, a column per server.
func (r *report) scaleTable(title, flow string, chart bool) table {
	res := r.b.res
	t := table{title: title, head: []string{"starters"}}
	var kinds []string
	for _, kind := range serverKinds {
		for _, l := range res.Load {
			if l.Server == kind && l.Flow == flow {
				kinds = append(kinds, kind)
				break
			}
		}
	}
	for _, kind := range kinds {
		t.head = append(t.head, serverTitle[kind])
	}
	for _, st := range r.b.opt.starters {
		row := []string{fmt.Sprint(st)}
		for _, kind := range kinds {
			wf := loadSpread(res.Load, kind, flow, st, serverLoad.perSec)
			p99 := loadSpread(res.Load, kind, flow, st, latQ(0.99))
			p99s := "n/a"
			if !math.IsNaN(p99.Median) {
				p99s = fmt.Sprintf("%.0f", p99.Median)
			}
			row = append(row, fmtSpread(wf, "%.0f")+" ("+p99s+")")
			if chart && wf.N > 0 {
				r.chart.scaleServer = append(r.chart.scaleServer, point{series: kind, x: float64(st), y: wf.Median})
			}
		}
		t.rows = append(t.rows, row)
	}
	if len(kinds) == 0 {
		t.rows = nil
	}
	return t
}

func fmtDurSpread(s spread) string {
	if s.N == 0 {
		return "n/a"
	}
	f := func(v float64) string {
		if v >= 1000 {
			return fmt.Sprintf("%.1f s", v/1000)
		}
		return fmt.Sprintf("%.0f ms", v)
	}
	if s.N == 1 {
		return f(s.Median)
	}
	return fmt.Sprintf("%s (%s–%s)", f(s.Median), f(s.Min), f(s.Max))
}

func pct(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.0f%%", x*100)
}

func times(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return fmt.Sprintf("%.2f×", x)
}

func verdict(ok bool, x float64) string {
	switch {
	case math.IsNaN(x):
		return "not measured"
	case ok:
		return "met"
	}
	return "MISSED"
}

func durMs(ds []time.Duration) []float64 {
	out := make([]float64, len(ds))
	for i, d := range ds {
		out[i] = ms(d)
	}
	return out
}

// notesMarker delimits the hand-written part of the report, kept when the
// report is written again.
const (
	notesBegin = "<!-- notes: hand-written, kept across runs -->"
	notesEnd   = "<!-- /notes -->"
)

func (r *report) write(mdPath, pngPath string) error {
	kept := notesBegin + "\n" + notesEnd
	if old, err := os.ReadFile(mdPath); err == nil {
		s := string(old)
		if i := strings.Index(s, notesBegin); i >= 0 {
			if j := strings.Index(s[i:], notesEnd); j >= 0 {
				kept = s[i : i+j+len(notesEnd)]
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(mdPath), 0o755); err != nil {
		return err
	}
	if err := r.chart.draw(pngPath); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	return os.WriteFile(mdPath, []byte(r.markdown(kept, pngPath)), 0o644)
}

func (r *report) markdown(notes, pngPath string) string {
	m := r.b.machine
	o := r.b.opt
	var sb strings.Builder
	sb.WriteString("# Benchmarks\n\n")
	sb.WriteString("Generated by `bench/`: every contender measured in the same run, on the same server, in alternating order, over several rounds; medians with (min–max). Regenerate with the command below (`make bench` runs a short version that prints the same tables and ratios); the section between the notes markers is hand-written and kept.\n\n")
	fmt.Fprintf(&sb, "![charts](%s)\n\n", baseName(pngPath))
	sb.WriteString("## Machine and command\n\n")
	fmt.Fprintf(&sb, "- Machine: %d cores (%s), %.1f GiB memory, Linux %s\n", m.Cores, m.CPU, m.MemGiB, m.Kernel)
	fmt.Fprintf(&sb, "- Load average (1/5/15 min) at start: %s; at end: %s — other work shared the machine, so numbers are noisy\n", strings.Join(m.Load[:], " "), strings.Join(m.LoadEnd[:], " "))
	fmt.Fprintf(&sb, "- Go: %s; Baton: %s; conductor-go v1.5.4 (module proxy)\n", m.GoVer, orNA(m.Baton))
	fmt.Fprintf(&sb, "- JDK: %s\n", orNA(m.JDK))
	fmt.Fprintf(&sb, "- Conductor: %s\n", orNA(m.Conductor))
	if m.Postgres != "" {
		fmt.Fprintf(&sb, "- PostgreSQL: %s\n", m.Postgres)
	}
	fmt.Fprintf(&sb, "- Run: %s, took %v\n", m.Started.Format(time.RFC3339), time.Since(m.Started).Round(time.Second))
	fmt.Fprintf(&sb, "- Command: `%s`\n", m.Command)
	fmt.Fprintf(&sb, "- Settings: N=%d, concurrency %d, %d rounds; scaling %d round(s) of %d tasks; poll interval %v\n\n", o.n, o.conc, o.rounds, o.scaleRounds, o.scaleN, o.pollInterval)
	sb.WriteString("## Targets\n\n" + r.targets.markdown() + "\n")
	for _, t := range []table{r.drain, r.latency, r.server, r.serverSys, r.scaleWorker, r.scaleServer, r.cpuN, r.scaleSys} {
		if len(t.rows) == 0 {
			continue
		}
		sb.WriteString("## " + t.title + "\n\n" + t.markdown() + "\n")
	}
	sb.WriteString("## How the contenders run\n\n")
	sb.WriteString("- **Baton WorkerHost**: `worker.NewWorkerHostWithConfig` with every default (1 s long poll, update-v2 chaining, lease extension), `Concurrency` = the batch size.\n")
	sb.WriteString("- **conductor-go v1.5.4 TaskRunner**: `worker.NewTaskRunnerWithApiClient(client.NewAPIClient(nil, settings.NewHttpSettings(url)))`, `StartWorker(task, fn, batchSize, pollInterval)`, its defaults otherwise (no poll timeout sent, POST /api/tasks for results, logrus at Warn).\n")
	sb.WriteString("- **raw loop**: one poller batch-polling for every free slot (timeout 100 ms), a goroutine per task answering with a hand-written update-v2 body and carrying on with the task the answer brings, one keep-alive `http.Client`, a decoder of two fields. No logs, metrics, leases or retries: the ceiling the server allows.\n")
	sb.WriteString("- Each worker runs in its own child process of the harness (`bench child-worker`), started before its queue is filled and told when to begin; its CPU is its own getrusage. Measurements 1, 2 and 4a/4c use a Baton server inside the harness (SQLite `:memory:`; a fresh one for each round of each comparison, shared by its contenders), which counts acknowledged results; measurement 3 and 4b/4d run each server as its own process (`baton server`, or the Conductor jar on a SQLite file or on PostgreSQL) with the workers and starters in the harness.\n")
	sb.WriteString("- (TLS) rows of 1 and 2: the in-process server over HTTPS (net/http's `ServeTLS`, a self-signed P-256 certificate for 127.0.0.1 written at start); the child's `SSL_CERT_FILE` names the certificate, so each contender trusts it with its default transport unchanged.\n\n")
	sb.WriteString("## Findings\n\n" + notes + "\n")
	return sb.String()
}

func orNA(s string) string {
	if s == "" {
		return "n/a"
	}
	return s
}

func baseName(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[i+1:]
	}
	return p
}
