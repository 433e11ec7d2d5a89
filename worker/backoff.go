package worker

import "time"

// backoff spaces out retries after failed polls and result updates: the n-th
// delay (n ≥ 1) is min·2^(n-1), capped at max, less a random part of up to
// half ("equal jitter") so that many workers failing together do not retry in
// step.
type backoff struct {
	min, max time.Duration
	rand     func() float64 // uniform in [0, 1)
}

func (b backoff) delay(n int) time.Duration {
	d := b.min
	for i := 1; i < n && d < b.max; i++ {
		d *= 2
	}
	d = min(d, b.max)
	half := d / 2
	return half + time.Duration(b.rand()*float64(d-half))
}

// idleDelay is the wait after the n-th empty poll in a row that the server
// answered without holding it: 1 ms doubling up to pollInterval. No jitter:
// idle workers do not fail together, they just have nothing to do.
func idleDelay(n int, pollInterval time.Duration) time.Duration {
	d := time.Millisecond
	for i := 1; i < n && d < pollInterval; i++ {
		d *= 2
	}
	return min(d, pollInterval)
}
