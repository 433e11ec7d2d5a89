package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSoakFlags(t *testing.T) {
	t.Parallel()
	o, err := parseSoakFlags(nil)
	require.NoError(t, err)
	require.Equal(t, 30*time.Minute, o.duration)
	require.Equal(t, 5*time.Minute, o.killEvery)
	require.Equal(t, "auto", o.retention)

	o, err = parseSoakFlags([]string{"-duration", "20s", "-kill-every", "0", "-rate", "2.5"})
	require.NoError(t, err)
	require.Equal(t, 20*time.Second, o.duration)
	require.Zero(t, o.killEvery, "0 never kills")
	require.InDelta(t, 2.5, o.rate, 1e-9)

	for _, bad := range [][]string{
		{"-duration", "0"}, {"-sample", "-1s"}, {"-rate", "0"}, {"-conc", "0"}, {"-kill-every", "-1m"},
		{"-duration", "soon"}, {"-nope"},
	} {
		_, err := parseSoakFlags(bad)
		require.Error(t, err, "%v", bad)
	}
}

func TestRetentionArg(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	require.Empty(t, retentionArg(ctx, soakOptions{retention: "off"}))
	require.Equal(t, "2h", retentionArg(ctx, soakOptions{retention: "2h"}))

	dir := t.TempDir()
	with, without := filepath.Join(dir, "with"), filepath.Join(dir, "without")
	require.NoError(t, os.WriteFile(with, []byte("#!/bin/sh\necho '  -retention duration'\n"), 0o755)) //nolint:gosec // a test script
	require.NoError(t, os.WriteFile(without, []byte("#!/bin/sh\necho '  -addr host:port'\n"), 0o755))  //nolint:gosec // a test script
	require.Equal(t, "1h", retentionArg(ctx, soakOptions{retention: "auto", batonBin: with}))
	require.Empty(t, retentionArg(ctx, soakOptions{retention: "auto", batonBin: without}))
	require.Empty(t, retentionArg(ctx, soakOptions{retention: "auto", batonBin: filepath.Join(dir, "missing")}))
}

func TestScrapeGauge(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = w.Write([]byte("# HELP go_goroutines x\n# TYPE go_goroutines gauge\ngo_goroutines 42\ngo_goroutines_other 7\n"))
	}))
	defer srv.Close()
	require.Equal(t, int64(42), scrapeGauge(srv.URL, "go_goroutines"))
	require.Equal(t, int64(-1), scrapeGauge(srv.URL, "absent"))
	require.Equal(t, int64(-1), scrapeGauge("http://127.0.0.1:1/metrics", "go_goroutines"), "no server")
}
