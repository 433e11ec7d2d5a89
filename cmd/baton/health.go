package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/settings"
)

// runHealth is `baton health`: it asks a server's GET /health and exits 0
// when the server says it is healthy, 1 otherwise. Container images without
// a shell or curl use it as their health check. /health is Conductor's too,
// so it checks Conductor OSS as well.
func runHealth(ctx context.Context, _ func(), args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "", "the server's API `URL`, e.g. http://localhost:8080/api; default $"+settings.EnvServerURL+", else "+settings.DefaultBaseURL)
	timeout := fs.Duration("timeout", 5*time.Second, "give up after this `duration`")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: baton health [--server URL] [--timeout 5s]")
		fmt.Fprintln(stderr)
		fmt.Fprintln(stderr, "Asks the server's GET /health (beside /api) and exits 0 when it answers healthy, 1 when not.")
		fmt.Fprintln(stderr)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "baton health: unexpected arguments %q\n", fs.Args())
		return exitUsage
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "baton health: --timeout %v must be positive\n", *timeout)
		return exitUsage
	}
	base := *server
	if base == "" {
		base, _ = lookupEnv(settings.EnvServerURL)
	}
	if strings.TrimSpace(base) == "" {
		base = settings.DefaultBaseURL
	}
	if err := settings.NewHttpSettings(base).Validate(); err != nil {
		fmt.Fprintf(stderr, "baton health: %v (check --server or $%s)\n", err, settings.EnvServerURL)
		return exitUsage
	}
	url := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSpace(base), "/"), "/api") + "/health"

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	if err := checkHealth(ctx, url); err != nil {
		fmt.Fprintf(stderr, "baton health: %s: %v\n", url, err)
		return exitError
	}
	fmt.Fprintf(stdout, "healthy: %s\n", url)
	return exitOK
}

// checkHealth returns nil when url answers 200 with {"healthy": true}.
func checkHealth(ctx context.Context, url string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	tr := client.NewTransport()
	defer tr.CloseIdleConnections()
	resp, err := client.NewHTTPClient(tr).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil {
		return fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("answered %s", resp.Status)
	}
	var h struct {
		Healthy *bool `json:"healthy"`
	}
	if err := json.Unmarshal(body, &h); err != nil || h.Healthy == nil {
		return fmt.Errorf("answered 200 without a health report (%.80q): is this a Conductor server?", body)
	}
	if !*h.Healthy {
		return fmt.Errorf("not healthy: %s", body)
	}
	return nil
}
