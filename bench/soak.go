package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	_ "modernc.org/sqlite" // PRAGMA integrity_check on the soaked database

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// The soak (`bench soak`) runs a `baton server` child on a database file
// for a long time under a steady mix of workflows, SIGKILLs and restarts
// it every few minutes, samples its memory, goroutines and database size,
// and at the end checks by id that every workflow it started reached a
// terminal status. See docs/benchmarks.md ("Soak").

const (
	soakSimpleFlow = "soak_simple"
	soakMixedFlow  = "soak_mixed"
	soakChildFlow  = "soak_child"
	soakTaskA      = "soak_a"
	soakTaskB      = "soak_b"
	soakLoops      = 3
)

type soakOptions struct {
	duration, killEvery, sample, drain time.Duration
	rate                               float64
	conc                               int
	retention                          string
	root, outDir, batonBin, dbDir      string
}

func parseSoakFlags(args []string) (soakOptions, error) {
	var o soakOptions
	fs := flag.NewFlagSet("bench soak", flag.ContinueOnError)
	fs.DurationVar(&o.duration, "duration", 30*time.Minute, "how long workflows are started")
	fs.DurationVar(&o.killEvery, "kill-every", 5*time.Minute, "SIGKILL the server and start it again this often; 0 never")
	fs.DurationVar(&o.sample, "sample", 5*time.Second, "sampling interval of RSS, goroutines, database size and throughput")
	fs.DurationVar(&o.drain, "drain", 3*time.Minute, "after the last start, how long the workflows still running may take to finish")
	fs.Float64Var(&o.rate, "rate", 10, "workflows started per second (half three-task SIMPLE chains, half the system-task mix)")
	fs.IntVar(&o.conc, "conc", 16, "worker concurrency per task type")
	fs.StringVar(&o.retention, "retention", "auto", "auto: pass --retention=1h to the server when `baton server --help` lists it; off: never; anything else: that value")
	fs.StringVar(&o.root, "root", "", "the Baton repository (default: the directory above bench/)")
	fs.StringVar(&o.outDir, "out", "", "directory for soak.csv, soak.png and soak.md (default: ROOT/docs)")
	fs.StringVar(&o.batonBin, "baton-bin", "", "baton binary to run as the server (default: built from ROOT)")
	fs.StringVar(&o.dbDir, "db-dir", "", "directory of the database file (default: a new temporary directory)")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if o.duration <= 0 || o.sample <= 0 || o.rate <= 0 || o.conc < 1 || o.killEvery < 0 {
		return o, errors.New("-duration, -sample, -rate and -conc must be positive, -kill-every not negative")
	}
	return o, nil
}

// soakServer is the `baton server` child, restarted on the same address.
type soakServer struct {
	bin, addr string
	args      []string
	logf      *os.File
	mu        sync.Mutex
	cmd       *exec.Cmd
	exited    chan struct{}
}

func (s *soakServer) url() string { return "http://" + s.addr }

func (s *soakServer) pid() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return 0
	}
	return s.cmd.Process.Pid
}

// start runs the server and waits until /health answers.
func (s *soakServer) start(ctx context.Context) (time.Duration, error) {
	// Not ended with ctx: the soak kills and stops the server itself.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), s.bin, s.args...) //nolint:gosec // the harness's own binary and flags
	cmd.Stdout, cmd.Stderr = s.logf, s.logf
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	s.mu.Lock()
	s.cmd, s.exited = cmd, exited
	s.mu.Unlock()
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url()+"/health", http.NoBody)
		if err != nil {
			return 0, err
		}
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(t0), nil
			}
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-exited:
			return 0, errors.New("baton server exited during start; see its log")
		case <-time.After(20 * time.Millisecond):
		}
		if time.Since(t0) > 2*time.Minute {
			return 0, errors.New("baton server not healthy after 2 minutes")
		}
	}
}

// kill SIGKILLs the server and waits for it to be gone.
func (s *soakServer) kill() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-exited
}

// stop asks the server to stop (SIGTERM), killing it after 30 s.
func (s *soakServer) stop() {
	s.mu.Lock()
	cmd, exited := s.cmd, s.exited
	s.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-exited:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-exited
	}
}

// soakSample is one row of soak.csv.
type soakSample struct {
	At                    time.Time
	Elapsed               time.Duration
	RSSKiB                int64
	Goroutines            int64 // -1: /metrics did not answer
	DBBytes, WALBytes     int64
	Started, Finished     int64
	Pending               int
	Tasks                 int64
	Restarts              int
	StartErrors, Refused  int64
	Load1                 string
	StartedPS, FinishedPS float64
}

// soak is one run.
type soak struct {
	opt   soakOptions
	srv   *soakServer
	api   *client.APIClient
	db    string
	seq   atomic.Int64
	tasks atomic.Int64

	mu       sync.Mutex
	pending  map[string]time.Time // started, not yet seen terminal
	statuses map[model.WorkflowStatus]int
	lost     []string // started (id acknowledged) but unknown to the server
	started  int64
	finished int64

	startErrors atomic.Int64 // start attempts that failed and were retried
	refused     atomic.Int64 // starts skipped because too many were already waiting

	restarts  []time.Duration // time to healthy after each SIGKILL
	samples   []soakSample
	retention string
}

func runSoak(args []string) int {
	o, err := parseSoakFlags(args)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench soak:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := soakMain(ctx, o, args); err != nil {
		fmt.Fprintln(os.Stderr, "bench soak:", err)
		return 1
	}
	return 0
}

func soakMain(ctx context.Context, o soakOptions, args []string) error {
	var err error
	if o.root == "" {
		if o.root, err = findRoot(); err != nil {
			return err
		}
	}
	if o.outDir == "" {
		o.outDir = filepath.Join(o.root, "docs")
	}
	work, err := os.MkdirTemp("", "baton-soak-")
	if err != nil {
		return err
	}
	if o.batonBin == "" {
		if o.batonBin, err = buildBaton(ctx, o.root, work); err != nil {
			return err
		}
	}
	if o.dbDir == "" {
		o.dbDir = work
	}
	m := readMachine()
	m.Command = commandLine(append([]string{"soak"}, args...))
	if out, err := exec.CommandContext(ctx, o.batonBin, "version").Output(); err == nil {
		m.Baton = strings.TrimSpace(string(out))
	}
	port, err := freePort(ctx)
	if err != nil {
		return err
	}
	s := &soak{opt: o, db: filepath.Join(o.dbDir, "soak.db"), pending: map[string]time.Time{}, statuses: map[model.WorkflowStatus]int{}}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	srvArgs := []string{"server", "--addr", addr, "--db", s.db, "--log-level", "warn"}
	if s.retention = retentionArg(ctx, o); s.retention != "" {
		srvArgs = append(srvArgs, "--retention="+s.retention)
	}
	logf, err := os.Create(filepath.Join(work, "server.log"))
	if err != nil {
		return err
	}
	defer logf.Close()
	s.srv = &soakServer{bin: o.batonBin, addr: addr, args: srvArgs, logf: logf}
	fmt.Printf("soak: %v of %.0f workflows/s, SIGKILL every %v; server log %s; database %s; retention %q\n",
		o.duration, o.rate, o.killEvery, logf.Name(), s.db, s.retention)
	if _, err := s.srv.start(ctx); err != nil {
		return err
	}
	defer s.srv.stop()
	if s.api, err = client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(s.srv.url() + "/api")}); err != nil {
		return err
	}
	if err := s.define(ctx); err != nil {
		return err
	}
	host, err := s.workers()
	if err != nil {
		return err
	}
	csvf, err := os.Create(filepath.Join(o.outDir, "soak.csv"))
	if err != nil {
		return err
	}
	defer csvf.Close()
	cw := csv.NewWriter(csvf)
	_ = cw.Write([]string{"elapsed_s", "rss_mib", "goroutines", "db_mib", "wal_mib", "started", "finished", "pending",
		"tasks", "restarts", "start_errors", "refused", "started_per_s", "finished_per_s", "load1"})

	runCtx, cancelRun := context.WithTimeout(ctx, o.duration)
	defer cancelRun()
	var bg sync.WaitGroup
	bg.Go(func() { s.startLoop(runCtx) })
	checkCtx, stopCheck := context.WithCancel(ctx)
	defer stopCheck()
	var checker sync.WaitGroup
	checker.Go(func() { s.checkLoop(checkCtx) })
	if o.killEvery > 0 {
		bg.Go(func() { s.killLoop(runCtx) })
	}
	sampleCtx, stopSampling := context.WithCancel(ctx)
	var sampler sync.WaitGroup
	sampler.Go(func() { s.sampleLoop(sampleCtx, cw) })

	<-runCtx.Done()
	bg.Wait()
	if ctx.Err() != nil {
		stopSampling()
		sampler.Wait()
		return ctx.Err()
	}
	fmt.Println("soak: starts stopped; waiting for the workflows still running")
	drainEnd := time.Now().Add(o.drain)
	for s.pendingCount() > 0 && time.Now().Before(drainEnd) && ctx.Err() == nil {
		time.Sleep(time.Second) // a harness watching a real server on the wall clock
	}
	stopCheck()
	checker.Wait()
	stopSampling()
	sampler.Wait()
	cw.Flush()
	stuck, err := s.count(ctx, "status IN (RUNNING,PAUSED)")
	if err != nil {
		return fmt.Errorf("search for running workflows: %w", err)
	}
	held, err := s.count(ctx, "workflowType IN ("+soakSimpleFlow+","+soakMixedFlow+")")
	if err != nil {
		return fmt.Errorf("count the workflows: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	_ = host.Shutdown(sctx)
	cancel()
	s.srv.stop()
	integrity := integrityCheck(s.db)
	m.LoadEnd = loadAvg()
	if err := s.chart(filepath.Join(o.outDir, "soak.png")); err != nil {
		return fmt.Errorf("chart: %w", err)
	}
	report := s.report(m, stuck, held, integrity)
	fmt.Print(report)
	if err := os.WriteFile(filepath.Join(o.outDir, "soak.md"), []byte(report), 0o644); err != nil { //nolint:gosec // a report to read
		return err
	}
	s.mu.Lock()
	failed := len(s.pending) > 0 || len(s.lost) > 0 || stuck > 0 || integrity != "ok"
	s.mu.Unlock()
	if failed {
		return errors.New("workflows lost or stuck, or the database is damaged (see the report)")
	}
	return nil
}

// retentionArg is the --retention value to pass, or "".
func retentionArg(ctx context.Context, o soakOptions) string {
	switch o.retention {
	case "off":
		return ""
	case "auto":
		out, _ := exec.CommandContext(ctx, o.batonBin, "server", "--help").CombinedOutput()
		if bytes.Contains(out, []byte("-retention")) {
			return "1h"
		}
		return ""
	default:
		return o.retention
	}
}

func (s *soak) define(ctx context.Context) error {
	var defs []model.TaskDef
	for _, name := range []string{soakTaskA, soakTaskB} {
		d := model.NewTaskDef(name)
		// A task whose poll answer died with the server is handed out again
		// after its response timeout; retries keep such a workflow going.
		d.RetryCount = 5
		d.RetryDelaySeconds = 0
		d.ResponseTimeoutSeconds = 20
		d.TimeoutSeconds = 0
		defs = append(defs, *d)
	}
	if err := s.api.Metadata().RegisterTaskDefs(ctx, defs...); err != nil {
		return fmt.Errorf("register task defs: %w", err)
	}
	simple := func(name, ref string) model.WorkflowTask {
		return model.WorkflowTask{Name: name, TaskReferenceName: ref, Type: model.TaskTypeSimple,
			InputParameters: map[string]any{"n": "${workflow.input.n}"}}
	}
	inline := func(ref, expr string, in map[string]any) model.WorkflowTask {
		p := map[string]any{"evaluatorType": "javascript", "expression": expr}
		maps.Copy(p, in)
		return model.WorkflowTask{Name: ref, TaskReferenceName: ref, Type: model.TaskTypeInline, InputParameters: p}
	}
	jq := func(ref, query string, in map[string]any) model.WorkflowTask {
		p := map[string]any{"queryExpression": query}
		maps.Copy(p, in)
		return model.WorkflowTask{Name: ref, TaskReferenceName: ref, Type: model.TaskTypeJSONJQTransform, InputParameters: p}
	}
	one := 1
	flows := []*model.WorkflowDef{
		model.NewWorkflowDef(soakChildFlow, simple(soakTaskB, "child_b")),
		model.NewWorkflowDef(soakSimpleFlow, simple(soakTaskA, "a1"), simple(soakTaskB, "b1"), simple(soakTaskA, "a2")),
		model.NewWorkflowDef(soakMixedFlow,
			model.WorkflowTask{
				Name: "route", TaskReferenceName: "route", Type: model.TaskTypeSwitch,
				InputParameters: map[string]any{"n": "${workflow.input.n}"},
				EvaluatorType:   "javascript", Expression: "$.n % 2 == 0 ? 'even' : 'odd'",
				DecisionCases: map[string][]model.WorkflowTask{
					"even": {inline("even_calc", "$.n * 2", map[string]any{"n": "${workflow.input.n}"})},
					"odd":  {jq("odd_calc", "{v: (.n * 3)}", map[string]any{"n": "${workflow.input.n}"})},
				},
			},
			model.WorkflowTask{Name: "fan", TaskReferenceName: "fan", Type: model.TaskTypeForkJoin,
				ForkTasks: [][]model.WorkflowTask{
					{simple(soakTaskA, "fan_a")},
					{inline("fan_inline", "$.n + 1", map[string]any{"n": "${workflow.input.n}"})},
				}},
			model.WorkflowTask{Name: "fan_join", TaskReferenceName: "fan_join", Type: model.TaskTypeJoin, JoinOn: []string{"fan_a", "fan_inline"}},
			model.WorkflowTask{
				Name: "loop", TaskReferenceName: "loop", Type: model.TaskTypeDoWhile,
				InputParameters: map[string]any{"n": soakLoops},
				LoopCondition:   "$.loop['iteration'] < $.n",
				LoopOver: []model.WorkflowTask{
					inline("calc", "$.i * 2", map[string]any{"i": "${loop.output.iteration}"}),
					jq("shape", "{sum: (.v + .i)}", map[string]any{"v": "${calc.output.result}", "i": "${loop.output.iteration}"}),
				},
			},
			model.WorkflowTask{Name: "pause", TaskReferenceName: "pause", Type: model.TaskTypeWait,
				InputParameters: map[string]any{"duration": "2 seconds"}},
			model.WorkflowTask{Name: "child", TaskReferenceName: "child", Type: model.TaskTypeSubWorkflow,
				SubWorkflowParam: &model.SubWorkflowParams{Name: soakChildFlow, Version: &one}},
			simple(soakTaskB, "end"),
		),
	}
	for _, d := range flows {
		d.OwnerEmail = "soak@example.com"
		if err := s.api.Metadata().RegisterWorkflowDef(ctx, d, true); err != nil {
			return fmt.Errorf("register workflow %s: %w", d.Name, err)
		}
	}
	return nil
}

// workers runs the SIMPLE tasks' workers in the harness: they ride through
// the server's restarts on their own retries.
func (s *soak) workers() (*worker.WorkerHost, error) {
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(s.srv.url() + "/api")})
	if err != nil {
		return nil, err
	}
	host, err := worker.NewWorkerHostWithConfig(worker.HostConfig{Client: api, LookupEnv: func(string) (string, bool) { return "", false }})
	if err != nil {
		return nil, err
	}
	work := func(t *model.WorkerTask) (any, error) {
		s.tasks.Add(1)
		return map[string]any{"n": t.InputData["n"], "ref": t.ReferenceTaskName}, nil
	}
	for _, name := range []string{soakTaskA, soakTaskB} {
		if err := host.StartWorkerWithConfig(worker.WorkerConfig{TaskName: name, Func: work, Concurrency: s.opt.conc}); err != nil {
			return nil, errors.Join(err, host.Shutdown(context.Background()))
		}
	}
	return host, nil
}

// startLoop starts workflows at the configured rate until ctx ends. A
// start the server did not answer is retried until it is.
func (s *soak) startLoop(ctx context.Context) {
	tick := time.NewTicker(time.Duration(float64(time.Second) / s.opt.rate))
	defer tick.Stop()
	inflight := make(chan struct{}, 256)
	var wg sync.WaitGroup
	defer wg.Wait()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		select {
		case inflight <- struct{}{}:
		default:
			s.refused.Add(1) // the server is down and starts are piling up
			continue
		}
		n := s.seq.Add(1)
		wg.Go(func() {
			defer func() { <-inflight }()
			s.startOne(ctx, n)
		})
	}
}

func (s *soak) startOne(ctx context.Context, n int64) {
	name := soakSimpleFlow
	if n%2 == 0 {
		name = soakMixedFlow
	}
	req := model.NewIdempotentStartWorkflowRequest(name, 1, "", fmt.Sprintf("soak-%d", n), model.IdempotencyReturnExisting,
		map[string]any{"n": n})
	// Starts go on after ctx (the run) ends: a start under way must end
	// with an id or a known failure, never in between. The idempotency key
	// names the start in the database; the server does not enforce it on
	// REST starts (neither does Conductor), so a retried start whose first
	// answer died with the server makes a second workflow.
	for attempt := 0; ; attempt++ {
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		id, err := s.api.Workflows().Start(rctx, req)
		cancel()
		if err == nil {
			s.mu.Lock()
			if _, dup := s.pending[id]; !dup {
				s.pending[id] = time.Now()
				s.started++
			}
			s.mu.Unlock()
			return
		}
		s.startErrors.Add(1)
		if attempt > 600 {
			fmt.Fprintf(os.Stderr, "soak: start %d given up: %v\n", n, err)
			return
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// checkLoop asks the server, every second, about each workflow started
// more than a second ago and not yet seen finished.
func (s *soak) checkLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
		s.mu.Lock()
		var ids []string
		for id, at := range s.pending {
			if time.Since(at) > time.Second {
				ids = append(ids, id)
			}
		}
		s.mu.Unlock()
		jobs := make(chan string)
		var wg sync.WaitGroup
		for range 4 {
			wg.Go(func() {
				for id := range jobs {
					s.checkOne(ctx, id)
				}
			})
		}
		for _, id := range ids {
			if ctx.Err() != nil {
				break
			}
			jobs <- id
		}
		close(jobs)
		wg.Wait()
	}
}

func (s *soak) checkOne(ctx context.Context, id string) {
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	wf, err := s.api.Workflows().Get(rctx, id, false)
	var ae *client.APIError
	switch {
	case errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound:
		s.mu.Lock()
		delete(s.pending, id)
		s.lost = append(s.lost, id)
		s.mu.Unlock()
	case err != nil: // the server is restarting: ask again later
	case wf.Status.IsTerminal():
		s.mu.Lock()
		if _, ok := s.pending[id]; ok {
			delete(s.pending, id)
			s.statuses[wf.Status]++
			s.finished++
		}
		s.mu.Unlock()
	}
}

func (s *soak) pendingCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.pending)
}

// killLoop SIGKILLs the server every killEvery and starts it again.
func (s *soak) killLoop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.opt.killEvery):
		}
		s.srv.kill()
		d, err := s.srv.start(context.WithoutCancel(ctx))
		if err != nil {
			fmt.Fprintln(os.Stderr, "soak: restart failed:", err)
			return
		}
		s.mu.Lock()
		s.restarts = append(s.restarts, d)
		s.mu.Unlock()
		fmt.Printf("soak: server SIGKILLed and restarted (healthy after %v)\n", d.Round(time.Millisecond))
	}
}

func (s *soak) sampleLoop(ctx context.Context, cw *csv.Writer) {
	t0 := time.Now()
	var prev *soakSample
	for {
		sm := s.takeSample(t0)
		if prev != nil {
			secs := sm.At.Sub(prev.At).Seconds()
			sm.StartedPS = float64(sm.Started-prev.Started) / secs
			sm.FinishedPS = float64(sm.Finished-prev.Finished) / secs
		}
		s.mu.Lock()
		s.samples = append(s.samples, sm)
		s.mu.Unlock()
		_ = cw.Write([]string{
			strconv.FormatFloat(sm.Elapsed.Seconds(), 'f', 1, 64), mib(sm.RSSKiB << 10), strconv.FormatInt(sm.Goroutines, 10),
			mib(sm.DBBytes), mib(sm.WALBytes), strconv.FormatInt(sm.Started, 10), strconv.FormatInt(sm.Finished, 10),
			strconv.Itoa(sm.Pending), strconv.FormatInt(sm.Tasks, 10), strconv.Itoa(sm.Restarts),
			strconv.FormatInt(sm.StartErrors, 10), strconv.FormatInt(sm.Refused, 10),
			strconv.FormatFloat(sm.StartedPS, 'f', 2, 64), strconv.FormatFloat(sm.FinishedPS, 'f', 2, 64), sm.Load1,
		})
		cw.Flush()
		if sm.Elapsed/time.Minute != (sm.Elapsed-s.opt.sample)/time.Minute {
			fmt.Printf("soak: %v: rss %s MiB, %d goroutines, db %s+%s MiB, %d started, %d finished, %d pending\n",
				sm.Elapsed.Round(time.Second), mib(sm.RSSKiB<<10), sm.Goroutines, mib(sm.DBBytes), mib(sm.WALBytes), sm.Started, sm.Finished, sm.Pending)
		}
		prev = &s.samples[len(s.samples)-1]
		select {
		case <-ctx.Done():
			return
		case <-time.After(s.opt.sample):
		}
	}
}

func (s *soak) takeSample(t0 time.Time) soakSample {
	now := time.Now()
	sm := soakSample{At: now, Elapsed: now.Sub(t0), Goroutines: -1, Tasks: s.tasks.Load(),
		StartErrors: s.startErrors.Load(), Refused: s.refused.Load(), Load1: loadAvg()[0]}
	if pid := s.srv.pid(); pid > 0 {
		sm.RSSKiB = rssKiB(pid, "VmRSS")
	}
	sm.Goroutines = scrapeGauge(s.srv.url()+"/metrics", "go_goroutines")
	sm.DBBytes = fileSize(s.db)
	sm.WALBytes = fileSize(s.db + "-wal")
	s.mu.Lock()
	sm.Started, sm.Finished, sm.Pending, sm.Restarts = s.started, s.finished, len(s.pending), len(s.restarts)
	s.mu.Unlock()
	return sm
}

func mib(b int64) string { return strconv.FormatFloat(float64(b)/(1<<20), 'f', 1, 64) }

func fileSize(p string) int64 {
	fi, err := os.Stat(p)
	if err != nil {
		return 0
	}
	return fi.Size()
}

// scrapeGauge reads one unlabelled gauge from a Prometheus text page, or -1.
func scrapeGauge(url, name string) int64 {
	hc := &http.Client{Timeout: 2 * time.Second}
	resp, err := hc.Get(url) //nolint:noctx // a bounded sample of a local server
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			if err == nil {
				return int64(f)
			}
		}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	return -1
}

// count returns how many workflows the server's search finds for query.
func (s *soak) count(ctx context.Context, query string) (int64, error) {
	rctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	res, err := s.api.Workflows().Search(rctx, client.SearchOptions{Size: 1, Query: query})
	if err != nil {
		return 0, err
	}
	return res.TotalHits, nil
}

// integrityCheck runs PRAGMA integrity_check on the stopped server's file.
func integrityCheck(path string) string {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	var res string
	if err := db.QueryRowContext(context.Background(), "PRAGMA integrity_check").Scan(&res); err != nil {
		return err.Error()
	}
	return res
}

func (s *soak) chart(path string) error {
	s.mu.Lock()
	samples := slices.Clone(s.samples)
	s.mu.Unlock()
	series := func(name string, f func(soakSample) float64) []point {
		var pts []point
		for _, sm := range samples {
			pts = append(pts, point{series: name, x: sm.Elapsed.Minutes(), y: f(sm)})
		}
		return pts
	}
	rss := linePlot("Server RSS (MiB)", "minutes", "MiB", series("RSS", func(sm soakSample) float64 { return float64(sm.RSSKiB) / 1024 }), false)
	gor := linePlot("Server goroutines", "minutes", "goroutines", series("goroutines", func(sm soakSample) float64 { return max(0, float64(sm.Goroutines)) }), false)
	size := linePlot("Database file and WAL (MiB)", "minutes", "MiB", append(
		series("database", func(sm soakSample) float64 { return float64(sm.DBBytes) / (1 << 20) }),
		series("WAL", func(sm soakSample) float64 { return float64(sm.WALBytes) / (1 << 20) })...), false)
	tp := linePlot("Throughput (workflows/s)", "minutes", "workflows/s", append(
		series("started", func(sm soakSample) float64 { return sm.StartedPS }),
		series("finished", func(sm soakSample) float64 { return sm.FinishedPS })...), false)
	plots := [][]*plot.Plot{{rss, gor}, {size, tp}}
	img := vgimg.New(vg.Points(1100), vg.Points(800))
	dc := draw.New(img)
	canvases := plot.Align(plots, draw.Tiles{Rows: 2, Cols: 2, PadX: vg.Points(20), PadY: vg.Points(20),
		PadTop: vg.Points(10), PadBottom: vg.Points(10), PadLeft: vg.Points(10), PadRight: vg.Points(10)}, dc)
	for i := range plots {
		for j, p := range plots[i] {
			p.Draw(canvases[i][j])
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := (vgimg.PngCanvas{Canvas: img}).WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func (s *soak) report(m machine, stuck, held int64, integrity string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var sb strings.Builder
	fmt.Fprintf(&sb, "- Machine: %d cores (%s), %.1f GiB memory, Linux %s; Go %s; Baton %s\n", m.Cores, m.CPU, m.MemGiB, m.Kernel, m.GoVer, orNA(m.Baton))
	fmt.Fprintf(&sb, "- Load average (1/5/15 min) at start: %s; at end: %s\n", strings.Join(m.Load[:], " "), strings.Join(m.LoadEnd[:], " "))
	fmt.Fprintf(&sb, "- Run: %s, took %v; command: `%s`\n", m.Started.UTC().Format(time.RFC3339), time.Since(m.Started).Round(time.Second), m.Command)
	ret := "off (this `baton server` has no --retention)"
	if s.retention != "" {
		ret = "--retention=" + s.retention
	}
	fmt.Fprintf(&sb, "- Server: `baton server` on a database file, %s; SIGKILLed and restarted %d times (healthy again after %s)\n", ret, len(s.restarts), durList(s.restarts))
	fmt.Fprintf(&sb, "- Workflows started: %d (%.1f/s asked; %d start attempts failed and were retried, %d starts skipped while the server was down)\n",
		s.started, s.opt.rate, s.startErrors.Load(), s.refused.Load())
	var st []string
	for _, k := range slices.Sorted(maps.Keys(s.statuses)) {
		st = append(st, fmt.Sprintf("%s %d", k, s.statuses[k]))
	}
	fmt.Fprintf(&sb, "- Finished, checked by id: %d (%s); still running at the end: %d of those started; unknown to the server: %d; RUNNING or PAUSED in the server's search at the end: %d\n",
		s.finished, strings.Join(st, ", "), len(s.pending), len(s.lost), stuck)
	if s.retention == "" {
		// A start the server committed and then died before answering is
		// retried and starts a second workflow: REST starts accept an
		// idempotencyKey without enforcing it, as Conductor's do.
		fmt.Fprintf(&sb, "- Top-level workflows the server holds: %d (%d started twice after their answer died with the server)\n", held, held-s.started)
	}
	fmt.Fprintf(&sb, "- SIMPLE tasks executed by the workers: %d\n", s.tasks.Load())
	if len(s.samples) > 0 {
		first, last := s.samples[0], s.samples[len(s.samples)-1]
		var maxRSS, maxG, maxDB, maxWAL int64
		var tp []float64
		for _, sm := range s.samples {
			maxRSS, maxG, maxDB, maxWAL = max(maxRSS, sm.RSSKiB), max(maxG, sm.Goroutines), max(maxDB, sm.DBBytes), max(maxWAL, sm.WALBytes)
			tp = append(tp, sm.FinishedPS)
		}
		fmt.Fprintf(&sb, "- Server RSS: %s MiB at the first sample, %s MiB at the last, %s MiB at most\n", mib(first.RSSKiB<<10), mib(last.RSSKiB<<10), mib(maxRSS<<10))
		fmt.Fprintf(&sb, "- Server goroutines: %d first, %d last, %d at most\n", first.Goroutines, last.Goroutines, maxG)
		fmt.Fprintf(&sb, "- Database: %s MiB at the end (%s MiB at most), WAL %s MiB at the end (%s MiB at most)\n", mib(last.DBBytes), mib(maxDB), mib(last.WALBytes), mib(maxWAL))
		slices.Sort(tp)
		fmt.Fprintf(&sb, "- Finished workflows/s over %d samples of %v: median %.1f\n", len(tp), s.opt.sample, tp[len(tp)/2])
	}
	fmt.Fprintf(&sb, "- PRAGMA integrity_check after the run: %s\n", integrity)
	return sb.String()
}

func durList(ds []time.Duration) string {
	if len(ds) == 0 {
		return "n/a"
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Round(10*time.Millisecond).String())
	}
	return strings.Join(out, ", ")
}
