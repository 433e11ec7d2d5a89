package main

import (
	"fmt"
	"slices"
	"strings"
)

// transportName names a transport in the targets table.
func transportName(tls bool) string {
	if tls {
		return "TLS"
	}
	return "plain HTTP"
}

func (r *report) buildTargets() {
	res := r.b.res
	r.targets = table{title: "Targets", head: []string{"target", "measured", "verdict"}}
	add := func(name, measured string, ok bool, x float64) {
		r.targets.rows = append(r.targets.rows, []string{name, measured, verdict(ok, x)})
	}
	ref := func(name, measured string) {
		r.targets.rows = append(r.targets.rows, []string{"(for reference: " + name + ")", measured, ""})
	}
	tp := func(impl string, tls bool) float64 {
		return drainSpread(res.Drain, impl, onTransport(tls), drainRun.tasksPerSec).Median
	}
	cpu := func(impl string, tls bool) float64 {
		return drainSpread(res.Drain, impl, onTransport(tls), drainRun.cpuPerTask).Median
	}
	measuredTLS := false
	for _, d := range res.Drain {
		measuredTLS = measuredTLS || d.TLS
	}

	// The worker: throughput on each transport, CPU and pickup latency
	// over plain HTTP, the rest for reference.
	conc := r.b.opt.conc
	for _, tls := range transports {
		if tls && !measuredTLS {
			continue
		}
		x := ratio(tp("baton", tls), tp("conductor", tls))
		add(fmt.Sprintf("WorkerHost ≥ 2× conductor-go tasks/s at concurrency %d, %s", conc, transportName(tls)), times(x), x >= 2, x)
	}
	x := ratio(cpu("baton", false), cpu("conductor", false))
	add("WorkerHost ≤ 1/2 of conductor-go's CPU per task, plain HTTP", fmt.Sprintf("%s (%.1f vs %.1f µs)", times(x), cpu("baton", false), cpu("conductor", false)), x <= 0.5, x)
	if measuredTLS {
		ref("WorkerHost ÷ conductor-go CPU per task, TLS", fmt.Sprintf("%s (%.1f vs %.1f µs)", times(ratio(cpu("baton", true), cpu("conductor", true))), cpu("baton", true), cpu("conductor", true)))
	}
	var vsRaw []string
	for _, tls := range transports {
		if !tls || measuredTLS {
			vsRaw = append(vsRaw, transportName(tls)+" "+pct(ratio(tp("baton", tls), tp("raw", tls))))
		}
	}
	ref("WorkerHost ÷ raw loop tasks/s", strings.Join(vsRaw, ", "))
	if len(res.Scale) > 0 {
		var vsC, vsRaw []string
		for _, c := range r.b.opt.scaleConc {
			keep := func(d drainRun) bool { return d.Conc == c }
			bt := drainSpread(res.Scale, "baton", keep, drainRun.tasksPerSec).Median
			vsC = append(vsC, fmt.Sprintf("c=%d %s", c, times(ratio(bt, drainSpread(res.Scale, "conductor", keep, drainRun.tasksPerSec).Median))))
			vsRaw = append(vsRaw, fmt.Sprintf("c=%d %s", c, pct(ratio(bt, drainSpread(res.Scale, "raw", keep, drainRun.tasksPerSec).Median))))
		}
		ref("WorkerHost ÷ conductor-go throughput by concurrency, 4a", strings.Join(vsC, ", "))
		ref("WorkerHost ÷ raw loop throughput by concurrency, 4a", strings.Join(vsRaw, ", "))
	}
	pick := func(l latencyRun) []float64 { return l.Pickup }
	p99, _ := latencyStats(res.Latency, "baton", false, pick, 0.99)
	add("pickup latency p99 ≤ 10 ms (Baton, long poll, plain HTTP)", fmt.Sprintf("%.2f ms", p99), p99 <= 10, p99)
	var lat []string
	for _, tls := range transports {
		p50, s := latencyStats(res.Latency, "baton", tls, pick, 0.5)
		p99, _ := latencyStats(res.Latency, "baton", tls, pick, 0.99)
		if s.N > 0 {
			lat = append(lat, fmt.Sprintf("%s p50 %.2f ms, p99 %.2f ms", transportName(tls), p50, p99))
		}
	}
	if len(lat) > 0 {
		ref("Baton pickup latency", strings.Join(lat, "; "))
	}

	// The server: Baton against each Conductor OSS backend measured, on
	// each workflow.
	s := r.maxStarters()
	for _, ft := range []struct {
		flow, what string
		want       float64
	}{{flowThree, "three-task workflows/s", 5}, {flowSys, "system-task workflows/s", 10}} {
		if !slices.Contains(r.b.opt.flows, ft.flow) {
			continue
		}
		for _, ck := range r.conductorKinds() {
			cond := loadSpread(res.Load, ck, ft.flow, s, serverLoad.perSec).Median
			for _, kind := range []string{"baton-memory", "baton-file"} {
				x = ratio(loadSpread(res.Load, kind, ft.flow, s, serverLoad.perSec).Median, cond)
				add(fmt.Sprintf("%s ≥ %g× %s %s (%d starters)", kind, ft.want, "Conductor OSS "+strings.TrimPrefix(serverTitle[ck], "Conductor OSS 3.32.1 "), ft.what, s), times(x), x >= ft.want, x)
			}
		}
	}
	for _, kind := range []string{"baton-memory", "baton-file"} {
		st := bootSpread(res.Boot, kind, func(b serverBoot) []float64 {
			return append([]float64{ms(b.Startup)}, durMs(b.ExtraStartups)...)
		})
		add(fmt.Sprintf("%s healthy within 100 ms of start", kind), fmtDurSpread(st)+" (max "+fmt.Sprintf("%.0f ms", st.Max)+")", st.Median <= 100, st.Median)
	}
	for _, ck := range r.conductorKinds() {
		cs := bootSpread(res.Boot, ck, func(b serverBoot) []float64 { return []float64{ms(b.Startup)} })
		r.targets.rows = append(r.targets.rows, []string{"(" + serverTitle[ck] + " start → healthy, for reference)", fmtDurSpread(cs), ""})
	}
	ci := bootSpread(res.Boot, "conductor", func(b serverBoot) []float64 { return []float64{float64(b.IdleKiB)} }).Median
	for _, kind := range []string{"baton-memory", "baton-file"} {
		bi := bootSpread(res.Boot, kind, func(b serverBoot) []float64 { return []float64{float64(b.IdleKiB)} }).Median
		x = ratio(bi, ci)
		add(fmt.Sprintf("%s idle RSS ≤ 1/10 of Conductor OSS (SQLite)'s", kind), fmt.Sprintf("%s (%.0f vs %.0f MiB)", pct(x), bi/1024, ci/1024), x <= 0.1, x)
	}
}

// conductorKinds are the Conductor OSS backends asked for.
func (r *report) conductorKinds() []string {
	return slices.DeleteFunc(slices.Clone(conductorKinds), func(k string) bool { return !slices.Contains(r.b.opt.servers, k) })
}
