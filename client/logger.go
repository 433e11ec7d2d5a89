package client

import (
	"io"
	"log/slog"
	"os"
	"strings"
)

// EnvLogLevel is the variable that sets the level of DefaultLogger: debug,
// info, warn (the default), error or off. It is not the server's
// BATON_LOG_LEVEL, so a worker and `baton server` started from one
// environment keep levels of their own.
const EnvLogLevel = "BATON_SDK_LOG_LEVEL"

// DefaultLogger is the logger of clients and worker hosts whose config sets
// none: text lines on stderr, warnings and errors only unless
// BATON_SDK_LOG_LEVEL asks for more (info: workers starting and stopping;
// debug: token fetches too) or for nothing (off). A worker that cannot reach its server says so
// there, so a first program does not fail in silence.
func DefaultLogger() *slog.Logger { return newDefaultLogger(os.Stderr, os.LookupEnv) }

func newDefaultLogger(w io.Writer, lookup func(string) (string, bool)) *slog.Logger {
	raw, _ := lookup(EnvLogLevel)
	level, ok := parseLevel(raw)
	if level == levelOff {
		return slog.New(slog.DiscardHandler)
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
	if !ok {
		log.Warn("baton: unknown log level; using warn", "variable", EnvLogLevel, "value", raw,
			"want", "debug, info, warn, error or off")
	}
	return log
}

// levelOff stands for "off": above every level slog has.
const levelOff = slog.Level(1 << 10)

// parseLevel reads a level name; an empty one is warn, an unknown one is warn
// and not ok.
func parseLevel(s string) (slog.Level, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, true
	case "info":
		return slog.LevelInfo, true
	case "", "warn", "warning":
		return slog.LevelWarn, true
	case "error":
		return slog.LevelError, true
	case "off", "none":
		return levelOff, true
	}
	return slog.LevelWarn, false
}
