package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/batonhq/baton/internal/selfsigned"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child-worker" {
		os.Exit(childWorker(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "soak" {
		os.Exit(runSoak(os.Args[2:]))
	}
	os.Exit(run(os.Args[1:]))
}

// options are the command line; zero values take the mode's default.
type options struct {
	short                bool
	n, conc, rounds      int
	scaleRounds, scaleN  int
	scaleConc, cpuNs     []int
	starters             []int
	duration, settle     time.Duration
	warmup               time.Duration
	window               int
	serverRounds         int
	extraStarts          int
	latencySamples       int
	latencyGap           time.Duration
	latencySampleWf      int
	drainDeadline        time.Duration
	pollInterval         time.Duration
	conductor            string
	conductorJavaOpts    string
	only                 map[string]bool
	servers              []string
	flows                []string
	conductorV2          bool
	conductorTestCadence bool
	allocProfile         bool
	tls                  bool
	profileDir           string
	out, chart, root     string
	batonBin             string
	beforeBin            string
	beforeLabel          string
}

// bench is one run of the harness.
type bench struct {
	opt             options
	prog            *progress
	res             results
	batonBin        string
	conductorScript string
	conductorProps  string            // extra properties file for conductor.sh, or ""
	conductorBase   string            // its contents, which conductor-pg's properties start with
	pg              *pgCluster        // PostgreSQL for conductor-pg, while runServers runs
	cert            *selfsigned.Files // the HTTPS targets' certificate; nil with -tls=false
	machine         machine
}

type results struct {
	Drain, Scale, CPUvsN []drainRun
	Latency              []latencyRun
	Load                 []serverLoad
	Boot                 []serverBoot
	ConductorError       string            // why no Conductor OSS ran at all
	ServerErrors         map[string]string // kind → why it was left out during the run
}

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.BoolVar(&o.short, "short", false, "the 1–2 minute version: smaller N, fewer rounds, shorter loads")
	fs.IntVar(&o.n, "n", 10000, "workflows queued for the drain comparison (short: 3000)")
	fs.IntVar(&o.conc, "conc", 32, "worker concurrency (batch size) of the drain comparison and of the server load's workers")
	fs.IntVar(&o.rounds, "rounds", 3, "rounds of the drain and latency comparisons (short: 2)")
	fs.IntVar(&o.scaleRounds, "scale-rounds", 2, "rounds of the scaling runs (short: 1)")
	fs.IntVar(&o.scaleN, "scale-n", 5000, "workflows per scaling run (short: 1500)")
	scaleConc := fs.String("scale-conc", "1,8,32,128", "worker concurrencies of the scaling runs")
	cpuNs := fs.String("cpu-n", "1000,10000,30000", "queue sizes for CPU per task against N (short: 1000,5000)")
	starters := fs.String("starters", "1,4,16", "concurrent workflow starters of the server load")
	fs.DurationVar(&o.duration, "duration", 8*time.Second, "measured time of each server load level (short: 3s)")
	fs.DurationVar(&o.settle, "settle", time.Second, "unmeasured time at the start of each load level (short: 500ms)")
	fs.DurationVar(&o.warmup, "warmup", 5*time.Second, "load before the first measured level of a server (short: 2s)")
	fs.IntVar(&o.window, "window", 8, "workflows each starter keeps in flight")
	fs.IntVar(&o.serverRounds, "server-rounds", 3, "rounds of the server comparison (short: 1)")
	fs.IntVar(&o.extraStarts, "extra-starts", 4, "extra cold starts of each Baton server per round, for the start-up median (short: 2)")
	fs.IntVar(&o.latencySamples, "latency-samples", 200, "tasks per pickup-latency run (short: 30)")
	fs.DurationVar(&o.latencyGap, "latency-gap", 300*time.Millisecond, "longest random pause between two latency samples (longer than conductor-go's 100 ms hold + 100 ms sleep, so every idle phase is hit)")
	fs.IntVar(&o.latencySampleWf, "latency-workflows", 400, "workflows per load level whose createTime→endTime is fetched")
	fs.DurationVar(&o.drainDeadline, "drain-deadline", 30*time.Second, "longest time one drain may take; slower contenders are rated on what they did")
	fs.DurationVar(&o.pollInterval, "poll-interval", 100*time.Millisecond, "poll interval given to every worker (conductor-go README's value)")
	fs.StringVar(&o.conductor, "conductor", "auto", "compat/server/conductor.sh to run Conductor OSS with, or off")
	fs.StringVar(&o.conductorJavaOpts, "conductor-java-opts", "-XX:TieredStopAtLevel=4", "extra JVM options for Conductor (the script defaults to C1 only, for fast starts; this restores the full JIT)")
	fs.BoolVar(&o.conductorV2, "conductor-update-v2", false, "let the workers on Conductor send results to update-v2 (Conductor 3.32.1 holds those answers 100+ ms, so by default they use POST /api/tasks there)")
	fs.BoolVar(&o.tls, "tls", true, "also measure the drain and pickup latency (1 and 2) against the server over HTTPS, with a self-signed certificate the workers trust through SSL_CERT_FILE")
	fs.BoolVar(&o.conductorTestCadence, "conductor-test-cadence", false, "keep compat/server/conductor.sh's 1 s sweeper cadence instead of Conductor's defaults (30 s)")
	servers := fs.String("servers", "baton-memory,baton-file,conductor,conductor-pg", "servers of measurement 3: conductor is Conductor OSS on SQLite, conductor-pg on PostgreSQL (bench/postgres.sh starts a cluster, installing Debian's postgresql package when none is found)")
	flowList := fs.String("flows", flowThree+","+flowSys, "workflows of measurement 3: "+flowThree+" (three SIMPLE tasks), "+flowSys+" (SWITCH → FORK_JOIN of three SIMPLE → JOIN → DO_WHILE of INLINE + JSON_JQ_TRANSFORM, then a SIMPLE task)")
	impls := fs.String("contenders", "baton,conductor,raw", "worker contenders to run (drain and latency)")
	only := fs.String("only", "drain,latency,server", "measurements to run: drain (1 and worker scaling), latency (2), server (3 and server scaling)")
	fs.StringVar(&o.profileDir, "profile", "", "write CPU profiles here: worker-<contender>.pprof and server-<contender>.pprof (the in-process server) of the first drain round")
	fs.BoolVar(&o.allocProfile, "allocprofile", false, "with -profile, also write worker-<contender>.allocs.pprof (allocation sampling slows the workers)")
	fs.StringVar(&o.root, "root", "", "the Baton repository (default: the directory above bench/)")
	fs.StringVar(&o.out, "out", "", "Markdown report to write (default: ROOT/docs/benchmarks.md); the chart goes beside it as .png")
	fs.StringVar(&o.batonBin, "baton-bin", "", "baton binary to run as a server (default: built from ROOT)")
	fs.StringVar(&o.beforeBin, "before-bin", "", "a bench binary built from an earlier commit: its Baton WorkerHost joins measurement 1 as \"before\" (see doc.go)")
	fs.StringVar(&o.beforeLabel, "before-label", "earlier commit", "what -before-bin was built from, for the report")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if o.short {
		def := func(name string, apply func()) {
			if !set[name] {
				apply()
			}
		}
		def("n", func() { o.n = 3000 })
		def("rounds", func() { o.rounds = 2 })
		def("scale-rounds", func() { o.scaleRounds = 1 })
		def("scale-n", func() { o.scaleN = 1500 })
		def("cpu-n", func() { *cpuNs = "1000,5000" })
		def("duration", func() { o.duration = 3 * time.Second })
		def("settle", func() { o.settle = 500 * time.Millisecond })
		def("warmup", func() { o.warmup = 2 * time.Second })
		def("server-rounds", func() { o.serverRounds = 1 })
		def("extra-starts", func() { o.extraStarts = 2 })
		def("latency-samples", func() { o.latencySamples = 30 })
		def("latency-workflows", func() { o.latencySampleWf = 100 })
		def("drain-deadline", func() { o.drainDeadline = 10 * time.Second })
	}
	var err error
	if o.scaleConc, err = intList(*scaleConc); err != nil {
		return o, fmt.Errorf("-scale-conc: %w", err)
	}
	if o.cpuNs, err = intList(*cpuNs); err != nil {
		return o, fmt.Errorf("-cpu-n: %w", err)
	}
	if o.starters, err = intList(*starters); err != nil {
		return o, fmt.Errorf("-starters: %w", err)
	}
	var picked []string
	for _, c := range strings.Split(*impls, ",") {
		c = strings.TrimSpace(c)
		if _, ok := contenders[c]; !ok {
			return o, fmt.Errorf("-contenders: unknown contender %q (use baton, conductor, raw)", c)
		}
		picked = append(picked, c)
	}
	contenderOrder = picked
	if o.beforeBin != "" {
		beforeBin = o.beforeBin
		contenderTitle[beforeContender] = "Baton WorkerHost, before (" + o.beforeLabel + ")"
	}
	latencyContenders = slices.DeleteFunc(slices.Clone(latencyContenders), func(c string) bool { return !slices.Contains(picked, c) })
	o.servers = nil
	for _, k := range strings.Split(*servers, ",") {
		k = strings.TrimSpace(k)
		if _, ok := serverTitle[k]; !ok {
			return o, fmt.Errorf("-servers: unknown server %q (use %s)", k, strings.Join(serverKinds, ", "))
		}
		o.servers = append(o.servers, k)
	}
	for _, k := range strings.Split(*flowList, ",") {
		k = strings.TrimSpace(k)
		if !slices.ContainsFunc(flows, func(f flow) bool { return f.key == k }) {
			return o, fmt.Errorf("-flows: unknown workflow %q (use %s, %s)", k, flowThree, flowSys)
		}
		o.flows = append(o.flows, k)
	}
	o.only = map[string]bool{}
	for _, m := range strings.Split(*only, ",") {
		switch m = strings.TrimSpace(m); m {
		case "drain", "latency", "server":
			o.only[m] = true
		default:
			return o, fmt.Errorf("-only: unknown measurement %q (use drain, latency, server)", m)
		}
	}
	for _, c := range []struct {
		name string
		v    int
	}{{"n", o.n}, {"conc", o.conc}, {"rounds", o.rounds}, {"scale-n", o.scaleN}, {"window", o.window},
		{"server-rounds", o.serverRounds}, {"latency-samples", o.latencySamples}} {
		if c.v < 1 {
			return o, fmt.Errorf("-%s must be at least 1, got %d", c.name, c.v)
		}
	}
	if o.root == "" {
		if o.root, err = findRoot(); err != nil {
			return o, err
		}
	}
	if o.out == "" {
		o.out = filepath.Join(o.root, "docs", "benchmarks.md")
	}
	o.chart = strings.TrimSuffix(o.out, filepath.Ext(o.out)) + ".png"
	return o, nil
}

func intList(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("%q is not a list of positive numbers", s)
		}
		out = append(out, n)
	}
	return out, nil
}

// findRoot returns the Baton repository: the nearest directory at or above
// the working directory whose go.mod is module github.com/batonhq/baton.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(b), "module github.com/batonhq/baton\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the Baton repository above the working directory; run from bench/ or pass -root")
		}
		dir = parent
	}
}

func run(args []string) int {
	o, err := parseFlags(args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	b := &bench{opt: o, machine: readMachine()}
	b.machine.Command = commandLine(args)
	err = b.prepare(ctx)
	defer b.cleanup()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	b.prog = newProgress(b.plannedSteps())
	err = b.measure(ctx)
	b.prog.close()
	b.machine.LoadEnd = loadAvg()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	rep := b.report()
	fmt.Print(rep.summary())
	if err := rep.write(o.out, o.chart); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		return 1
	}
	fmt.Printf("\nwrote %s and %s\n", o.out, o.chart)
	return 0
}

func commandLine(args []string) string {
	return strings.TrimSpace("cd bench && go run . " + strings.Join(args, " "))
}

// prepare writes the HTTPS certificate, builds the baton binary and finds
// the Conductor script and JDK.
func (b *bench) prepare(ctx context.Context) error {
	if b.opt.profileDir != "" {
		if err := os.MkdirAll(b.opt.profileDir, 0o755); err != nil {
			return err
		}
	}
	if b.opt.tls && (b.opt.only["drain"] || b.opt.only["latency"]) {
		dir, err := os.MkdirTemp("", "baton-bench-tls-")
		if err != nil {
			return err
		}
		cert, err := selfsigned.Write(dir)
		if err != nil {
			return errors.Join(err, os.RemoveAll(dir))
		}
		b.cert = &cert
	}
	if !b.opt.only["server"] {
		return nil
	}
	b.batonBin = b.opt.batonBin
	if b.batonBin == "" {
		dir, err := os.MkdirTemp("", "baton-bench-bin-")
		if err != nil {
			return err
		}
		if b.batonBin, err = buildBaton(ctx, b.opt.root, dir); err != nil {
			return err
		}
	}
	if out, err := exec.CommandContext(ctx, b.batonBin, "version").Output(); err == nil {
		b.machine.Baton = strings.TrimSpace(string(out))
	}
	switch b.opt.conductor {
	case "off", "":
		b.res.ConductorError = "not run (-conductor off)"
	default:
		script := b.opt.conductor
		if script == "auto" {
			script = filepath.Join(b.opt.root, "compat", "server", "conductor.sh")
		}
		b.machine.JDK = javaVersion(ctx, script)
		if b.machine.JDK == "" {
			b.res.ConductorError = "not run: no JDK ≥ 21 found by " + script
			fmt.Fprintln(os.Stderr, "bench: Conductor OSS left out:", b.res.ConductorError)
			break
		}
		b.conductorScript = script
		b.machine.Conductor = "Conductor OSS 3.32.1 boot jar via compat/server/conductor.sh (data, queues and index on a SQLite file, or with conductor-pg on PostgreSQL; -Xmx1g, SerialGC, JVM AOT cache) with " + b.opt.conductorJavaOpts
		if b.opt.conductorTestCadence {
			b.machine.Conductor += "; the script's 1 s sweeper cadence"
		} else {
			b.machine.Conductor += "; Conductor's default sweeper cadence (workflow-offset-timeout 30 s)"
		}
		if b.opt.conductorV2 {
			b.machine.Conductor += "; workers send results to update-v2"
		} else {
			b.machine.Conductor += "; workers send results to POST /api/tasks (Conductor's update-v2 holds its answer 100+ ms)"
		}
	}
	return nil
}

// cleanup removes the certificate's directory.
func (b *bench) cleanup() {
	if b.cert != nil {
		_ = os.RemoveAll(filepath.Dir(b.cert.Cert))
	}
}

func (b *bench) plannedSteps() int {
	o := b.opt
	n := 0
	transports := len(b.transports(0))
	if o.only["drain"] {
		n += o.rounds*len(drainContenders())*transports + o.scaleRounds*len(contenderOrder)*(len(o.scaleConc)+len(o.cpuNs))
	}
	if o.only["latency"] {
		n += o.rounds * len(latencyContenders) * transports
	}
	if o.only["server"] {
		n += o.serverRounds * len(b.serverKinds()) * len(o.starters) * len(o.flows)
	}
	return n
}

// measure runs the measurements in order: workers on an in-process server
// first, then the servers one after another.
func (b *bench) measure(ctx context.Context) error {
	if b.opt.only["latency"] {
		if err := b.runLatency(ctx); err != nil {
			return err
		}
	}
	if b.opt.only["drain"] {
		if err := b.runDrains(ctx); err != nil {
			return err
		}
	}
	if b.opt.only["server"] {
		if err := b.runServers(ctx); err != nil {
			return err
		}
	}
	return ctx.Err()
}
