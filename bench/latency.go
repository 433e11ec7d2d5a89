package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/batonhq/baton/internal/selfsigned"
	"github.com/batonhq/baton/model"
)

// latencyRun is one contender working one task at a time.
type latencyRun struct {
	Impl  string
	TLS   bool // the worker talked HTTPS to the server
	Round int
	// Per task, in ms: start request sent → handler entered; handler
	// returned → server acknowledged the result; start request's own
	// round trip.
	Pickup, Ack, StartCall []float64
}

// latency starts one workflow at a time, after a random pause, and times
// its task through a contender's worker (concurrency 1, defaults).
func (b *bench) latency(ctx context.Context, t *target, impl string, round int) (latencyRun, error) {
	r := latencyRun{Impl: impl, TLS: t.caFile != "", Round: round}
	name := fmt.Sprintf("lat%d_%s", flowSeq.Add(1), impl)
	if err := defineFlow(ctx, t.api, name, name); err != nil {
		return r, err
	}
	p, err := spawnWorker(ctx, childConfig{impl: impl, url: t.url, caFile: t.caFile, task: name, conc: 1, pollInterval: b.opt.pollInterval, trace: true})
	if err != nil {
		return r, err
	}
	defer p.kill()
	acks := make(chan int64, 64)
	t.watchAcks(acks)
	defer t.watchAcks(nil)
	if err := p.start(); err != nil {
		return r, err
	}
	b.prog.step(fmt.Sprintf("pickup latency %s r%d", r.label(), round), int64(b.opt.latencySamples))
	time.Sleep(300 * time.Millisecond) // the worker settles into its idle polling
	for i := range b.opt.latencySamples {
		if err := ctx.Err(); err != nil {
			return r, err
		}
		time.Sleep(time.Duration(rand.Int64N(int64(b.opt.latencyGap) + 1)))
		for len(acks) > 0 {
			<-acks
		}
		t0 := time.Now()
		if _, err := t.api.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: name, Input: map[string]any{"s": 0}}); err != nil {
			return r, err
		}
		started := time.Now()
		var ack int64
		select {
		case ack = <-acks:
		case <-time.After(30 * time.Second):
			return r, fmt.Errorf("%s: no result acknowledged within 30s", impl)
		}
		l, err := p.expect("h ", 30*time.Second)
		if err != nil {
			return r, err
		}
		var id string
		var entry, ret int64
		if _, err := fmt.Sscanf(l, "h %s %d %d", &id, &entry, &ret); err != nil {
			return r, fmt.Errorf("bad trace line %q", l)
		}
		r.Pickup = append(r.Pickup, ms(time.Duration(entry-t0.UnixNano())))
		r.Ack = append(r.Ack, ms(time.Duration(ack-ret)))
		r.StartCall = append(r.StartCall, ms(started.Sub(t0)))
		b.prog.set(int64(i + 1))
	}
	if _, err := p.stop(); err != nil {
		return r, err
	}
	b.prog.finish()
	return r, nil
}

// latencyContenders are measured for pickup latency: the raw loop polls
// with a fixed short timeout and says nothing about SDK defaults.
var latencyContenders = []string{"baton", "conductor"}

// label is the contender, with "+tls" over HTTPS.
func (l latencyRun) label() string {
	if l.TLS {
		return l.Impl + "+tls"
	}
	return l.Impl
}

// runLatency is measurement 2 on one server per transport (plain HTTP and,
// unless -tls=false, HTTPS), each used by every round.
func (b *bench) runLatency(ctx context.Context) error {
	targets := map[*selfsigned.Files]*target{}
	defer func() {
		for _, t := range targets {
			_ = t.close()
		}
	}()
	for _, cert := range b.transports(0) {
		t, err := newTarget(ctx, ":memory:", cert)
		if err != nil {
			return err
		}
		targets[cert] = t
	}
	for r := range b.opt.rounds {
		for _, cert := range b.transports(r) {
			for _, impl := range rotate(latencyContenders, r) {
				l, err := b.latency(ctx, targets[cert], impl, r+1)
				if err != nil {
					return fmt.Errorf("latency %s: %w", l.label(), err)
				}
				b.res.Latency = append(b.res.Latency, l)
				q := quantiles(l.Pickup, 0.5, 0.99)
				a := quantiles(l.Ack, 0.5, 0.99)
				b.prog.logf("latency %-13s round %d: pickup p50 %.2f ms p99 %.2f ms; ack p50 %.2f ms p99 %.2f ms",
					l.label(), r+1, q[0], q[1], a[0], a[1])
			}
		}
	}
	return nil
}
