package main

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/batonhq/baton/internal/selfsigned"
)

// drainRun is one contender draining one queue.
type drainRun struct {
	Impl    string
	TLS     bool // the worker talked HTTPS to the server
	Conc, N int
	Round   int
	Acked   int64
	Elapsed time.Duration
	CPU     cpuSample
	// ServerCPU is the harness process's CPU time in the same window: the
	// in-process server (and the harness's idle wait loop).
	ServerCPU time.Duration
	// Requests the worker sent in the window: polls, POST /api/tasks,
	// update-v2; and of all its requests those over HTTP/2.
	Requests [4]int64
}

// protocol names the HTTP version most of the worker's requests used.
func (d drainRun) protocol() string {
	if 2*d.Requests[3] > d.Requests[0]+d.Requests[1]+d.Requests[2] {
		return "HTTP/2"
	}
	return "HTTP/1.1"
}

// requestsPerTask is the worker's HTTP requests per acknowledged task.
func (d drainRun) requestsPerTask() float64 {
	return float64(d.Requests[0]+d.Requests[1]+d.Requests[2]) / float64(max(d.Acked, 1))
}

// pollsPerTask is the worker's polls per acknowledged task.
func (d drainRun) pollsPerTask() float64 { return float64(d.Requests[0]) / float64(max(d.Acked, 1)) }

// label is the contender, with "+tls" over HTTPS.
func (d drainRun) label() string {
	if d.TLS {
		return d.Impl + "+tls"
	}
	return d.Impl
}

func (d drainRun) tasksPerSec() float64 { return float64(d.Acked) / d.Elapsed.Seconds() }

// cpuPerTask is the worker's CPU time per acknowledged task, in µs.
func (d drainRun) cpuPerTask() float64 { return us(d.CPU.total()) / float64(max(d.Acked, 1)) }

// serverCPUPerTask is the server's CPU time per acknowledged task, in µs.
func (d drainRun) serverCPUPerTask() float64 { return us(d.ServerCPU) / float64(max(d.Acked, 1)) }

func (d drainRun) allocsPerTask() float64 { return float64(d.CPU.Mallocs) / float64(max(d.Acked, 1)) }

var flowSeq atomic.Int64

// drain queues n one-task workflows on t, starts the contender's child
// process and times it until the server has acknowledged n results (or the
// deadline passes: then the rate is of what it did).
func (b *bench) drain(ctx context.Context, t *target, impl string, conc, n, round int, profile string) (drainRun, error) {
	memProfile := ""
	if profile != "" && b.opt.allocProfile {
		memProfile = strings.TrimSuffix(profile, ".pprof") + ".allocs.pprof"
	}
	r := drainRun{Impl: impl, TLS: t.caFile != "", Conc: conc, N: n, Round: round}
	name := fmt.Sprintf("drain%d_%s_c%d", flowSeq.Add(1), impl, conc)
	if err := defineFlow(ctx, t.api, name, name); err != nil {
		return r, err
	}
	cfg := childConfig{impl: impl, url: t.url, caFile: t.caFile, task: name, conc: conc, pollInterval: b.opt.pollInterval, cpuProfile: profile, memProfile: memProfile}
	p, err := spawnWorker(ctx, cfg)
	if err != nil {
		return r, err
	}
	defer p.kill()
	b.prog.step(fmt.Sprintf("drain %s c=%d n=%d r%d: queueing", r.label(), conc, n, round), int64(n))
	if err := enqueue(ctx, t.api, name, n, 4, b.prog.set); err != nil {
		return r, fmt.Errorf("queue %d workflows: %w", n, err)
	}
	q, err := t.api.Tasks().QueueSize(ctx, name, "")
	if err != nil {
		return r, fmt.Errorf("queue size of %s: %w", name, err)
	}
	if q < n {
		return r, fmt.Errorf("queue %s holds %d tasks, want %d", name, q, n)
	}
	b.prog.step(fmt.Sprintf("drain %s c=%d n=%d r%d", r.label(), conc, n, round), int64(n))
	stopProf := func() {}
	if profile != "" {
		stopProf = b.profileHarness(filepath.Base(strings.Replace(profile, "worker-", "server-", 1)))
	}
	base := t.acks.Load()
	req0 := t.requests()
	su0, ss0 := rusage()
	t0 := time.Now()
	if err := p.start(); err != nil {
		stopProf()
		return r, err
	}
	deadline := t0.Add(b.opt.drainDeadline)
	for {
		done := t.acks.Load() - base
		b.prog.set(done)
		if done >= int64(n) || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(time.Millisecond)
	}
	r.Elapsed = time.Since(t0)
	r.Acked = t.acks.Load() - base
	su1, ss1 := rusage()
	req1 := t.requests()
	for i := range r.Requests {
		r.Requests[i] = req1[i] - req0[i]
	}
	stopProf()
	r.ServerCPU = time.Duration(su1 - su0 + ss1 - ss0)
	if r.CPU, err = p.stop(); err != nil {
		return r, err
	}
	if err := ctx.Err(); err != nil {
		return r, err
	}
	b.prog.finish()
	return r, nil
}

// rotate returns the contenders in the order of round r: rotated by r, so
// each takes every position, and reversed every other full cycle, so each
// also follows every other.
func rotate(xs []string, r int) []string {
	out := make([]string, len(xs))
	for i := range xs {
		out[i] = xs[(i+r)%len(xs)]
	}
	if (r/len(xs))%2 == 1 {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// runDrains is measurement 1 (concurrency opt.conc, N opt.n, every round,
// over plain HTTP and, unless -tls=false, HTTPS) and the worker parts of 4
// (plain HTTP): throughput against concurrency and CPU per
// task against N. Each comparison (a round at one concurrency and N) gets a
// fresh in-process server (SQLite :memory:) that all its contenders share, so
// finished workflows do not pile up across the run.
func (b *bench) runDrains(ctx context.Context) error {
	type job struct {
		impl    string
		conc, n int
	}
	section := func(round int, cert *selfsigned.Files, jobs []job, out *[]drainRun, label string) error {
		t, err := newTarget(ctx, ":memory:", cert)
		if err != nil {
			return err
		}
		defer t.close()
		for _, j := range jobs {
			prof := ""
			if b.opt.profileDir != "" && round == 1 && label == "drain" {
				name := j.impl
				if cert != nil {
					name += "-tls"
				}
				prof = filepath.Join(b.opt.profileDir, "worker-"+name+".pprof")
			}
			d, err := b.drain(ctx, t, j.impl, j.conc, j.n, round, prof)
			if err != nil {
				return fmt.Errorf("%s %s c=%d n=%d: %w", label, d.label(), j.conc, j.n, err)
			}
			*out = append(*out, d)
			b.prog.logf("%-5s %-13s c=%-3d n=%-6d round %d: %6.0f tasks/s, worker %5.1f µs CPU/task, %4.0f allocs/task, %.2f requests/task (%.3f polls, %s); server %5.1f µs CPU/task",
				label, d.label(), j.conc, j.n, round, d.tasksPerSec(), d.cpuPerTask(), d.allocsPerTask(), d.requestsPerTask(), d.pollsPerTask(), d.protocol(), d.serverCPUPerTask())
		}
		return nil
	}
	// Measurement 1 over each transport, a fresh server for each; the
	// transports alternate in order from round to round, like the
	// contenders.
	for r := range b.opt.rounds {
		var jobs []job
		for _, impl := range rotate(drainContenders(), r) {
			jobs = append(jobs, job{impl, b.opt.conc, b.opt.n})
		}
		for _, cert := range b.transports(r) {
			if err := section(r+1, cert, jobs, &b.res.Drain, "drain"); err != nil {
				return err
			}
		}
	}
	for r := range b.opt.scaleRounds {
		for i, conc := range b.opt.scaleConc {
			var jobs []job
			for _, impl := range rotate(contenderOrder, r+i) {
				jobs = append(jobs, job{impl, conc, b.opt.scaleN})
			}
			if err := section(r+1, nil, jobs, &b.res.Scale, "scale"); err != nil {
				return err
			}
		}
	}
	for r := range b.opt.scaleRounds {
		for i, n := range b.opt.cpuNs {
			var jobs []job
			for _, impl := range rotate(contenderOrder, r+i) {
				jobs = append(jobs, job{impl, b.opt.conc, n})
			}
			if err := section(r+1, nil, jobs, &b.res.CPUvsN, "cpu/N"); err != nil {
				return err
			}
		}
	}
	return nil
}

// transports returns the servers' certificates to measure with in round r:
// nil for plain HTTP, and b.cert for HTTPS unless -tls=false; their order
// alternates from round to round.
func (b *bench) transports(r int) []*selfsigned.Files {
	if b.cert == nil {
		return []*selfsigned.Files{nil}
	}
	if r%2 == 1 {
		return []*selfsigned.Files{b.cert, nil}
	}
	return []*selfsigned.Files{nil, b.cert}
}
