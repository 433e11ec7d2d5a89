package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// serverKinds are the servers of measurement 3.
var serverKinds = []string{"baton-memory", "baton-file", "conductor", "conductor-pg"}

var serverTitle = map[string]string{
	"baton-memory": "Baton (SQLite :memory:)",
	"baton-file":   "Baton (SQLite file)",
	"conductor":    "Conductor OSS 3.32.1 (SQLite)",
	"conductor-pg": "Conductor OSS 3.32.1 (PostgreSQL)",
}

// conductorKinds are the server kinds that run Conductor OSS.
var conductorKinds = []string{"conductor", "conductor-pg"}

func isConductor(kind string) bool { return slices.Contains(conductorKinds, kind) }

// serverLoad is one load level on one server.
type serverLoad struct {
	Server    string
	Flow      string // flowThree or flowSys
	Round     int
	Starters  int
	Completed int
	Window    time.Duration
	Lat       []float64 // ms, createTime → endTime of sampled workflows
	RSSMaxKiB int64
}

func (s serverLoad) perSec() float64 { return float64(s.Completed) / s.Window.Seconds() }

// serverBoot is one start of a server.
type serverBoot struct {
	Server           string
	Round            int
	Startup          time.Duration
	IdleKiB, PeakKiB int64
	ExtraStartups    []time.Duration
}

const (
	flowName = "bench3"
	task1    = "bench3_t1"
	task2    = "bench3_t2"
	task3    = "bench3_t3"
)

// loadRig drives the workflows of one flow against one server: S starters,
// each keeping up to window workflows in flight, and a WorkerHost in this
// process working the flow's task types.
type loadRig struct {
	flow flow
	api  *client.APIClient
	host *worker.WorkerHost
	sems atomic.Pointer[[]chan struct{}] // per starter: a token per free place in its window
	done atomic.Int64                    // last tasks entered
}

func newLoadRig(url string, f flow, conc int, noV2 bool) (*loadRig, error) {
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(url)})
	if err != nil {
		return nil, err
	}
	host, err := worker.NewWorkerHostWithConfig(worker.HostConfig{Client: api, LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		return nil, err
	}
	g := &loadRig{flow: f, api: api, host: host}
	work := f.work
	if work == nil {
		work = func(*model.WorkerTask) (any, error) { return nil, nil }
	}
	last := func(t *model.WorkerTask) (any, error) {
		g.done.Add(1)
		if sems := g.sems.Load(); sems != nil {
			if s, ok := t.InputData["s"].(float64); ok && int(s) >= 0 && int(s) < len(*sems) {
				select {
				case (*sems)[int(s)] <- struct{}{}:
				default:
				}
			}
		}
		return nil, nil
	}
	for _, name := range f.tasks {
		fn := work
		if name == f.last {
			fn = last
		}
		if err := host.StartWorkerWithConfig(worker.WorkerConfig{TaskName: name, Func: fn, Concurrency: conc, DisableUpdateV2: noV2}); err != nil {
			return nil, errors.Join(err, host.Shutdown(context.Background()))
		}
	}
	return g, nil
}

func (g *loadRig) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_ = g.host.Shutdown(ctx)
}

type started struct {
	id string
	at time.Time
}

// run keeps s starters busy for settle+window and returns the workflows
// completed (last task entered) during the window and those started in it.
func (g *loadRig) run(ctx context.Context, s, window int, settle, dur time.Duration, tick func(int64)) (int, []started, error) {
	sems := make([]chan struct{}, s)
	for i := range sems {
		sems[i] = make(chan struct{}, window)
		for range window {
			sems[i] <- struct{}{}
		}
	}
	g.sems.Store(&sems)
	defer g.sems.Store(nil)
	var startedN atomic.Int64
	dStart := g.done.Load()
	stop := make(chan struct{})
	var mu sync.Mutex
	var ids []started
	var firstErr error
	var wg sync.WaitGroup
	t0 := time.Now()
	winStart, winEnd := t0.Add(settle), t0.Add(settle+dur)
	for i := range s {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				case <-sems[i]:
				}
				at := time.Now()
				id, err := g.api.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: g.flow.name, Input: map[string]any{"s": i}})
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				startedN.Add(1)
				if at.After(winStart) && at.Before(winEnd) {
					mu.Lock()
					ids = append(ids, started{id, at})
					mu.Unlock()
				}
			}
		})
	}
	time.Sleep(time.Until(winStart))
	d0 := g.done.Load()
	for time.Now().Before(winEnd) && ctx.Err() == nil {
		tick(g.done.Load() - d0)
		time.Sleep(50 * time.Millisecond)
	}
	completed := int(g.done.Load() - d0)
	close(stop)
	wg.Wait()
	// Let the workflows in flight finish so the next level starts clean.
	deadline := time.Now().Add(3 * dur) // a slow server's leftovers may spill into the next level
	for g.done.Load()-dStart < startedN.Load() && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	return completed, ids, firstErr
}

// latencies fetches up to n of the workflows and returns createTime →
// endTime of the completed ones, in ms. A workflow still running is asked
// again until it ends or wait has passed since the first fetch, so that a
// slow server's slowest workflows are not left out of its percentiles.
func (g *loadRig) latencies(ctx context.Context, ids []started, n int, wait time.Duration) []float64 {
	rand.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	deadline := time.Now().Add(wait)
	var out []float64
	for _, s := range ids[:min(n, len(ids))] {
		for {
			wf, err := g.api.Workflows().Get(ctx, s.id, false)
			if err != nil {
				break
			}
			if wf.Status == model.WorkflowCompleted && wf.EndTime != 0 {
				out = append(out, float64(wf.EndTime-wf.CreateTime))
				break
			}
			if wf.Status != model.WorkflowRunning || time.Now().After(deadline) || ctx.Err() != nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return out
}

// conductorDefaults are Conductor's own values of the settings that
// compat/server/conductor.sh lowers for its tests (ConductorProperties).
const conductorDefaults = `conductor.app.workflow-offset-timeout=30s
conductor.app.taskExecutionPostponeDuration=60s
conductor.app.systemTaskWorkerCallbackDuration=30s
`

// serverKinds are the servers to measure: those asked for, less those
// that cannot run.
func (b *bench) serverKinds() []string {
	var out []string
	for _, k := range b.opt.servers {
		if (!isConductor(k) || b.conductorScript != "") && b.res.ServerErrors[k] == "" {
			out = append(out, k)
		}
	}
	return out
}

// leaveOut drops a server from the rest of the run, saying why in the
// report.
func (b *bench) leaveOut(kind string, err error) {
	if b.res.ServerErrors == nil {
		b.res.ServerErrors = map[string]string{}
	}
	b.res.ServerErrors[kind] = err.Error()
	if b.prog != nil {
		b.prog.logf("%s: %v — leaving it out", kind, err)
	} else {
		fmt.Fprintf(os.Stderr, "bench: %s left out: %v\n", kind, err)
	}
}

// bootServer starts one server of kind.
func (b *bench) bootServer(ctx context.Context, kind, dir string) (*serverProc, error) {
	switch kind {
	case "baton-memory":
		return startBatonBinary(ctx, b.batonBin, ":memory:")
	case "baton-file":
		return startBatonBinary(ctx, b.batonBin, filepath.Join(dir, fmt.Sprintf("baton-%d.db", flowSeq.Add(1))))
	case "conductor":
		return startConductor(ctx, b.conductorScript, b.opt.conductorJavaOpts, b.conductorProps)
	case "conductor-pg":
		props, err := b.pg.conductorProps(ctx, dir, b.conductorBase)
		if err != nil {
			return nil, err
		}
		return startConductor(ctx, b.conductorScript, b.opt.conductorJavaOpts, props)
	}
	return nil, fmt.Errorf("unknown server %q", kind)
}

// errCheck marks a workflow that did not end as it must: the run stops
// rather than measure a server that does other work.
var errCheck = errors.New("workflow check failed")

// runServers is measurement 3 and the server part of 4.
func (b *bench) runServers(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "baton-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if !b.opt.conductorTestCadence {
		// compat/server/conductor.sh lowers the sweeper's cadence for tests;
		// a throughput run gets Conductor's own defaults back (later lines win).
		b.conductorBase = conductorDefaults
		b.conductorProps = filepath.Join(dir, "conductor-defaults.properties")
		if err := os.WriteFile(b.conductorProps, []byte(conductorDefaults), 0o644); err != nil {
			return err
		}
	}
	if slices.Contains(b.serverKinds(), "conductor-pg") {
		b.prog.step("postgres: starting a cluster (bench/postgres.sh)", 0)
		pg, err := startPostgres(ctx, filepath.Join(b.opt.root, "bench", "postgres.sh"))
		if err != nil {
			b.leaveOut("conductor-pg", fmt.Errorf("no PostgreSQL: %w", err))
		} else {
			b.pg = pg
			b.machine.Postgres = "PostgreSQL " + pg.version + " (Debian's package) via bench/postgres.sh: one fresh cluster per run with the package's default settings (fsync on, shared_buffers 128 MB), a fresh database per Conductor start, on the same 2 cores; its own processes' memory is not in Conductor's RSS"
			defer func() {
				if err := pg.stop(ctx); err != nil {
					fmt.Fprintln(os.Stderr, "bench:", err)
				}
			}()
		}
	}
	for r := range b.opt.serverRounds {
		for i, kind := range rotate(b.serverKinds(), r) {
			if err := b.serverRound(ctx, kind, dir, r+1, i); err != nil {
				if isConductor(kind) && !errors.Is(err, errCheck) {
					b.leaveOut(kind, err)
					continue
				}
				return fmt.Errorf("%s: %w", kind, err)
			}
		}
	}
	return nil
}

func (b *bench) serverRound(ctx context.Context, kind, dir string, round, pos int) error {
	boot := serverBoot{Server: kind, Round: round}
	if !isConductor(kind) {
		// Extra cold starts: cheap for Baton, and a median needs them.
		for range b.opt.extraStarts {
			p, err := b.bootServer(ctx, kind, dir)
			if err != nil {
				return err
			}
			boot.ExtraStartups = append(boot.ExtraStartups, p.startup)
			_ = p.stop()
		}
	}
	b.prog.step(fmt.Sprintf("server %s r%d: starting", kind, round), 0)
	p, err := b.bootServer(ctx, kind, dir)
	if err != nil {
		return err
	}
	defer func() { _ = p.stop() }()
	boot.Startup = p.startup
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(p.url)})
	if err != nil {
		return err
	}
	for _, f := range b.flows() {
		if err := f.define(ctx, api); err != nil {
			return err
		}
	}
	time.Sleep(time.Second)
	boot.IdleKiB = rssKiB(p.pid, "VmRSS")
	for _, f := range b.flows() {
		if err := b.loadFlow(ctx, kind, f, p, round, pos); err != nil {
			return err
		}
	}
	boot.PeakKiB = rssKiB(p.pid, "VmHWM")
	b.res.Boot = append(b.res.Boot, boot)
	b.prog.logf("server %-12s round %d: healthy after %v, idle RSS %d MiB, peak RSS %d MiB",
		kind, round, boot.Startup.Round(time.Millisecond), boot.IdleKiB>>10, boot.PeakKiB>>10)
	return nil
}

// loadFlow checks one workflow of f, then runs the warm-up and every load
// level of f on the server p.
func (b *bench) loadFlow(ctx context.Context, kind string, f flow, p *serverProc, round, pos int) error {
	g, err := newLoadRig(p.url, f, b.opt.conc, isConductor(kind) && !b.opt.conductorV2)
	if err != nil {
		return err
	}
	defer g.close()
	took, err := checkFlow(ctx, g.api, f, 30*time.Second)
	if err != nil {
		return fmt.Errorf("%w on %s: %w", errCheck, serverTitle[kind], err)
	}
	if f.want != nil {
		b.prog.logf("server %-12s round %d, %s: one workflow COMPLETED with the expected output in %v", kind, round, f.key, took)
	}
	b.prog.step(fmt.Sprintf("server %s r%d %s: warm-up", kind, round, f.key), 0)
	if _, _, err := g.run(ctx, 16, b.opt.window, 0, b.opt.warmup, func(int64) {}); err != nil {
		return fmt.Errorf("%s warm-up: %w", f.key, err)
	}
	levels := rotateInts(b.opt.starters, round-1+pos)
	for _, s := range levels {
		b.prog.step(fmt.Sprintf("server %s r%d %s: %d starters", kind, round, f.key, s), 0)
		var rssMax atomic.Int64
		stopRSS := make(chan struct{})
		var rssWG sync.WaitGroup
		rssWG.Go(func() {
			for {
				if v := rssKiB(p.pid, "VmRSS"); v > rssMax.Load() {
					rssMax.Store(v)
				}
				select {
				case <-stopRSS:
					return
				case <-time.After(100 * time.Millisecond):
				}
			}
		})
		completed, ids, err := g.run(ctx, s, b.opt.window, b.opt.settle, b.opt.duration, func(n int64) { b.prog.set(n) })
		close(stopRSS)
		rssWG.Wait()
		if err != nil {
			return fmt.Errorf("%s, %d starters: %w", f.key, s, err)
		}
		l := serverLoad{Server: kind, Flow: f.key, Round: round, Starters: s, Completed: completed, Window: b.opt.duration,
			Lat: g.latencies(ctx, ids, b.opt.latencySampleWf, 30*time.Second), RSSMaxKiB: rssMax.Load()}
		b.res.Load = append(b.res.Load, l)
		q := quantiles(l.Lat, 0.5, 0.99)
		b.prog.logf("server %-12s round %d, %-11s %2d starters: %7.1f workflows/s, latency p50 %.0f ms p99 %.0f ms, RSS max %d MiB",
			kind, round, f.key+",", s, l.perSec(), q[0], q[1], l.RSSMaxKiB>>10)
		b.prog.finish()
	}
	return nil
}

// flows are the workflows -flows asks for.
func (b *bench) flows() []flow {
	return slices.DeleteFunc(slices.Clone(flows), func(f flow) bool { return !slices.Contains(b.opt.flows, f.key) })
}

func rotateInts(xs []int, r int) []int {
	out := make([]int, len(xs))
	for i := range xs {
		out[i] = xs[(i+r)%len(xs)]
	}
	return out
}
