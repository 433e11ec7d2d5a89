package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// workerProc is a worker contender running in a child process.
type workerProc struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	lines  chan string // stdout lines
	stderr *bytes.Buffer
}

// cpuSample is what a child used between "go" and "stop".
type cpuSample struct {
	User, Sys      time.Duration
	Mallocs, Bytes uint64
}

func (c cpuSample) total() time.Duration { return c.User + c.Sys }

func spawnWorker(ctx context.Context, c childConfig) (*workerProc, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	impl := c.impl
	if impl == beforeContender {
		exe, impl = beforeBin, "baton"
	}
	args := []string{"child-worker", "-impl", impl, "-url", c.url, "-task", c.task,
		"-conc", strconv.Itoa(c.conc), "-poll-interval", c.pollInterval.String()}
	if c.trace {
		args = append(args, "-trace")
	}
	if c.cpuProfile != "" {
		args = append(args, "-cpuprofile", c.cpuProfile)
	}
	if c.memProfile != "" {
		args = append(args, "-memprofile", c.memProfile)
	}
	cmd := exec.CommandContext(ctx, exe, args...)
	if c.caFile != "" {
		// crypto/x509 reads the system roots from here on Linux, so every
		// contender trusts the server with its default transport unchanged.
		cmd.Env = append(os.Environ(), "SSL_CERT_FILE="+c.caFile)
	}
	p := &workerProc{cmd: cmd, lines: make(chan string, 1024), stderr: &bytes.Buffer{}}
	cmd.Stderr = p.stderr
	if p.stdin, err = cmd.StdinPipe(); err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() {
		defer close(p.lines)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.lines <- sc.Text()
		}
	}()
	if _, err := p.expect("ready", 30*time.Second); err != nil {
		p.kill()
		return nil, err
	}
	return p, nil
}

// expect waits for a line starting with prefix, skipping others.
func (p *workerProc) expect(prefix string, d time.Duration) (string, error) {
	t := time.NewTimer(d)
	defer t.Stop()
	for {
		select {
		case l, ok := <-p.lines:
			if !ok {
				return "", fmt.Errorf("worker child %s exited: %s", p.cmd.Args[2], lastLines(p.stderr.String(), 5))
			}
			if strings.HasPrefix(l, prefix) {
				return l, nil
			}
		case <-t.C:
			return "", fmt.Errorf("worker child: no %q within %v", prefix, d)
		}
	}
}

func (p *workerProc) send(cmd string) error {
	_, err := io.WriteString(p.stdin, cmd+"\n")
	return err
}

// start tells the child to start working.
func (p *workerProc) start() error {
	if err := p.send("go"); err != nil {
		return err
	}
	_, err := p.expect("started", 30*time.Second)
	return err
}

// stop ends the child's measurement window and returns its CPU use; the
// child then shuts its worker down and exits.
func (p *workerProc) stop() (cpuSample, error) {
	var c cpuSample
	if err := p.send("stop"); err != nil {
		return c, err
	}
	l, err := p.expect("cpu ", 30*time.Second)
	if err != nil {
		return c, err
	}
	var u, s int64
	if _, err := fmt.Sscanf(l, "cpu %d %d %d %d", &u, &s, &c.Mallocs, &c.Bytes); err != nil {
		return c, fmt.Errorf("worker child: bad cpu line %q", l)
	}
	c.User, c.Sys = time.Duration(u), time.Duration(s)
	_ = p.stdin.Close()
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		p.kill()
	}
	return c, nil
}

func (p *workerProc) kill() {
	if p.cmd.Process != nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}

func lastLines(s string, n int) string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	if len(l) > n {
		l = l[len(l)-n:]
	}
	return strings.Join(l, " | ")
}

// serverProc is a server under test in its own process.
type serverProc struct {
	name    string
	url     string // API base
	pid     int
	startup time.Duration
	stop    func() error
}

func freePort(ctx context.Context) (int, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// startBatonBinary runs `baton server` and measures the time from exec to
// the first healthy answer, polling every millisecond. Cancelling ctx stops
// the server as stop does: SIGTERM, then SIGKILL after 15 s.
func startBatonBinary(ctx context.Context, bin, db string) (*serverProc, error) {
	port, err := freePort(ctx)
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	cmd := exec.CommandContext(ctx, bin, "server", "--addr", addr, "--db", db, "--log-level", "warn")
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGTERM) }
	cmd.WaitDelay = 15 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	hc := &http.Client{Timeout: time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	stop := func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		return nil
	}
	health, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/health", http.NoBody)
	if err != nil {
		_ = stop()
		return nil, err
	}
	for {
		resp, err := hc.Do(health)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-ctx.Done():
			_ = stop()
			return nil, ctx.Err()
		case <-exited:
			return nil, fmt.Errorf("baton server exited during start: %s", lastLines(stderr.String(), 5))
		case <-time.After(time.Millisecond):
		}
		if time.Since(t0) > 30*time.Second {
			_ = stop()
			return nil, fmt.Errorf("baton server not healthy after 30s: %s", lastLines(stderr.String(), 5))
		}
	}
	return &serverProc{name: "baton", url: "http://" + addr + "/api", pid: cmd.Process.Pid, startup: time.Since(t0), stop: stop}, nil
}

// startConductor runs the real Conductor OSS server through
// compat/server/conductor.sh (fresh SQLite file, free port) and reads the
// start-to-healthy time the script measured (it polls every 250 ms).
func startConductor(ctx context.Context, script, javaOpts, propsFile string) (*serverProc, error) {
	// Not cancelled with ctx: killing the script mid-start would orphan the
	// JVM it has already launched in its own session, which only "stop" with
	// the state file can reach. The script bounds its own wait for health
	// (START_TIMEOUT), and the caller stops the server once it has started.
	cmd := exec.CommandContext(context.WithoutCancel(ctx), "bash", script, "start")
	cmd.Env = append(os.Environ(), "CONDUCTOR_JAVA_OPTS="+javaOpts)
	if propsFile != "" {
		cmd.Env = append(cmd.Env, "CONDUCTOR_EXTRA_PROPS="+propsFile)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("conductor.sh start: %w: %s", err, lastLines(stderr.String(), 8))
	}
	vals := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
			vals[k] = v
		}
	}
	state := vals["STATE_FILE"]
	b, err := os.ReadFile(state)
	if err != nil {
		return nil, fmt.Errorf("conductor.sh start: no state file: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			vals[k] = v
		}
	}
	pid, _ := strconv.Atoi(vals["PID"])
	startMs, _ := strconv.Atoi(vals["STARTUP_MS"])
	return &serverProc{
		name: "conductor", url: vals["BASE_URL"], pid: pid, startup: time.Duration(startMs) * time.Millisecond,
		stop: func() error {
			// Stopping is cleanup: it must run after ctx is cancelled too.
			c := exec.CommandContext(context.WithoutCancel(ctx), "bash", script, "stop", state)
			c.Stdout, c.Stderr = io.Discard, io.Discard
			return c.Run()
		},
	}, nil
}

// rssKiB reads VmRSS (resident memory now) or VmHWM (peak) of pid.
func rssKiB(pid int, field string) int64 {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

// buildBaton builds cmd/baton of the repository at root into dir.
func buildBaton(ctx context.Context, root, dir string) (string, error) {
	bin := filepath.Join(dir, "baton")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/baton")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/baton: %w: %s", err, out)
	}
	return bin, nil
}
