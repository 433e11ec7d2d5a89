package worker

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Per-worker settings from the environment, named as in Conductor's Python
// SDK (conductor/client/worker/worker_config.py) and Java SDK
// (conductor-client Worker.PROP_*). For a task "send_email" and the property
// poll_interval, the first variable set wins:
//
//	conductor.worker.send_email.poll_interval
//	conductor_worker_send_email_poll_interval
//	CONDUCTOR_WORKER_SEND_EMAIL_POLL_INTERVAL
//	CONDUCTOR_WORKER_send_email_POLL_INTERVAL
//	conductor.worker.all.poll_interval
//	CONDUCTOR_WORKER_ALL_POLL_INTERVAL
//	conductor_worker_poll_interval
//	CONDUCTOR_WORKER_POLL_INTERVAL
//
// In the upper-case task form, characters a shell cannot put in a name (such
// as '-' or '.') may also be written as '_'.
type envProp struct {
	names []string // property name, then accepted aliases
	apply func(c *WorkerConfig, v string) error
}

var envProps = []envProp{
	{[]string{"poll_interval", "polling_interval"}, func(c *WorkerConfig, v string) (err error) {
		c.PollInterval, err = parseMillis(v)
		return err
	}},
	{[]string{"thread_count", "batch_size"}, func(c *WorkerConfig, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return fmt.Errorf("want a whole number of at least 1")
		}
		c.Concurrency = n
		return nil
	}},
	{[]string{"domain"}, func(c *WorkerConfig, v string) error { c.Domain = v; return nil }},
	{[]string{"paused"}, func(c *WorkerConfig, v string) (err error) {
		c.Paused, err = parseBool(v)
		return err
	}},
	{[]string{"poll_timeout"}, func(c *WorkerConfig, v string) (err error) {
		c.PollTimeout, err = parseMillis(v)
		return err
	}},
	{[]string{"worker_id"}, func(c *WorkerConfig, v string) error { c.WorkerID = v; return nil }},
	{[]string{"lease_extend_enabled", "leaseExtendEnabled"}, func(c *WorkerConfig, v string) error {
		on, err := parseBool(v)
		c.DisableLeaseExtension = !on
		return err
	}},
}

// applyEnv returns cfg with the environment's settings for its task applied.
// A blank variable counts as unset; a malformed one is an error naming it.
func applyEnv(cfg WorkerConfig, lookup func(string) (string, bool)) (WorkerConfig, error) {
	for _, p := range envProps {
		key, v, ok := lookupProp(lookup, cfg.TaskName, p.names)
		if !ok {
			continue
		}
		if err := p.apply(&cfg, v); err != nil {
			return cfg, fmt.Errorf("worker: environment %s=%q: %w", key, v, err)
		}
	}
	return cfg, nil
}

func lookupProp(lookup func(string) (string, bool), task string, names []string) (key, value string, ok bool) {
	upTask := strings.ToUpper(task)
	levels := []func(prop, up string) string{
		func(p, _ string) string { return "conductor.worker." + task + "." + p },
		func(p, _ string) string { return "conductor_worker_" + task + "_" + p },
		func(_, u string) string { return "CONDUCTOR_WORKER_" + upTask + "_" + u },
		func(_, u string) string { return "CONDUCTOR_WORKER_" + shellName(upTask) + "_" + u },
		func(_, u string) string { return "CONDUCTOR_WORKER_" + task + "_" + u },
		func(p, _ string) string { return "conductor.worker.all." + p },
		func(_, u string) string { return "CONDUCTOR_WORKER_ALL_" + u },
		func(p, _ string) string { return "conductor_worker_" + p },
		func(_, u string) string { return "CONDUCTOR_WORKER_" + u },
	}
	for _, level := range levels {
		for _, name := range names {
			key := level(name, strings.ToUpper(name))
			if v, found := lookup(key); found && strings.TrimSpace(v) != "" {
				return key, strings.TrimSpace(v), true
			}
		}
	}
	return "", "", false
}

// shellName replaces what a POSIX shell does not allow in a variable name.
func shellName(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			return r
		}
		return '_'
	}, s)
}

// parseMillis reads milliseconds as the other SDKs write them ("500",
// "1.5"), or a Go duration ("2s").
func parseMillis(v string) (time.Duration, error) {
	var d time.Duration
	if ms, err := strconv.ParseFloat(v, 64); err == nil {
		if math.IsNaN(ms) || math.IsInf(ms, 0) || math.Abs(ms) > float64(math.MaxInt64/int64(time.Millisecond)) {
			return 0, fmt.Errorf("want milliseconds (500) or a duration (1.5s)")
		}
		d = time.Duration(ms * float64(time.Millisecond))
	} else if d, err = time.ParseDuration(v); err != nil {
		return 0, fmt.Errorf("want milliseconds (500) or a duration (1.5s)")
	}
	if d < 0 {
		return 0, fmt.Errorf("must not be negative")
	}
	return d, nil
}

func parseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("want true or false")
}
