package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// envPrefix starts the name of the environment variable that sets a flag of
// `baton server`: --http-task-allowed-hosts is BATON_HTTP_TASK_ALLOWED_HOSTS.
const envPrefix = "BATON_"

// envName is the environment variable that sets the flag named name.
func envName(name string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(name, "-", "_"))
}

// applyEnv sets every flag of fs not given on the command line from its
// environment variable (envName), so a flag added to fs later needs no code
// here. Flags on the command line win; a variable that is unset or empty
// leaves the flag's default. A value the flag refuses is an error naming the
// variable. Call it after fs.Parse. It returns the names of the flags it set,
// for messages about them to name the variable.
func applyEnv(fs *flag.FlagSet, lookup func(string) (string, bool)) (fromEnv map[string]bool, err error) {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	fromEnv = map[string]bool{}
	fs.VisitAll(func(f *flag.Flag) {
		if err != nil || given[f.Name] {
			return
		}
		name := envName(f.Name)
		v, ok := lookup(name)
		if !ok || v == "" {
			return
		}
		if e := fs.Set(f.Name, v); e != nil {
			err = fmt.Errorf("environment variable %s=%q (sets --%s): %w%s", name, v, f.Name, e, valueHint(f))
			return
		}
		fromEnv[f.Name] = true
	})
	return fromEnv, err
}

// valueHint says what a flag of a standard kind accepts, since the flag
// package's own error for them is only "parse error".
func valueHint(f *flag.Flag) string {
	g, ok := f.Value.(flag.Getter)
	if !ok {
		return ""
	}
	switch g.Get().(type) {
	case bool:
		return " (want true or false)"
	case time.Duration:
		return " (want a duration with its unit, e.g. 30s or 2m)"
	case int, int64, uint, uint64:
		return " (want a whole number)"
	case float64:
		return " (want a number)"
	}
	return ""
}

// flagRef names a flag in a message: "--tls-cert", or
// "--tls-cert (from BATON_TLS_CERT)" when the environment set it.
func flagRef(name string, fromEnv map[string]bool) string {
	if fromEnv[name] {
		return "--" + name + " (from " + envName(name) + ")"
	}
	return "--" + name
}

// levelFlag is --log-level: a slog.Level checked when it is set, so a bad
// value is refused with the flag or variable that gave it.
type levelFlag struct{ level slog.Level }

func (l *levelFlag) String() string { return strings.ToLower(l.level.String()) }

func (l *levelFlag) Set(s string) error {
	if err := l.level.UnmarshalText([]byte(s)); err != nil {
		return errors.New("use debug, info, warn or error")
	}
	return nil
}
