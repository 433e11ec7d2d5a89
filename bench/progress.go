package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// progress draws one status line on stderr: the share of planned steps done,
// the current step and its own counter. Without a terminal it prints one
// line per step instead.
type progress struct {
	out   io.Writer
	tty   bool
	start time.Time

	mu          sync.Mutex
	total, done int
	label       string
	cur, of     int64
	stop        chan struct{}
	stopped     chan struct{}
}

func newProgress(total int) *progress {
	fi, err := os.Stderr.Stat()
	p := &progress{
		out: os.Stderr, tty: err == nil && fi.Mode()&os.ModeCharDevice != 0,
		start: time.Now(), total: max(total, 1), stop: make(chan struct{}), stopped: make(chan struct{}),
	}
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.stopped)
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-p.stop:
			return
		case <-t.C:
			p.draw(false)
		}
	}
}

// step begins the next step; its counter runs up to of (0: no counter).
func (p *progress) step(label string, of int64) {
	p.mu.Lock()
	p.label, p.cur, p.of = label, 0, of
	p.mu.Unlock()
	p.draw(true)
}

// set moves the current step's counter.
func (p *progress) set(cur int64) {
	p.mu.Lock()
	p.cur = cur
	p.mu.Unlock()
}

// finish marks the current step done.
func (p *progress) finish() {
	p.mu.Lock()
	p.done = min(p.done+1, p.total)
	p.mu.Unlock()
}

// logf prints a line above the bar.
func (p *progress) logf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tty {
		fmt.Fprint(p.out, "\r\033[K")
	}
	fmt.Fprintf(p.out, format+"\n", args...)
}

func (p *progress) draw(newStep bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	frac := float64(p.done) / float64(p.total)
	const width = 30
	bar := strings.Repeat("#", int(frac*width)) + strings.Repeat(".", width-int(frac*width))
	line := fmt.Sprintf("[%s] %3.0f%% %s %s", bar, frac*100, time.Since(p.start).Round(time.Second), p.label)
	if p.of > 0 {
		line += fmt.Sprintf(" %d/%d", p.cur, p.of)
	}
	if p.tty {
		fmt.Fprintf(p.out, "\r\033[K%s", line)
		return
	}
	if newStep {
		fmt.Fprintln(p.out, line)
	}
}

func (p *progress) close() {
	close(p.stop)
	<-p.stopped
	if p.tty {
		fmt.Fprint(p.out, "\r\033[K")
	}
}
