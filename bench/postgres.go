package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pgCluster is the PostgreSQL cluster bench/postgres.sh runs for Conductor
// OSS on PostgreSQL: one per run, a fresh database for each Conductor
// start.
type pgCluster struct {
	script  string
	state   string
	version string
}

// startPostgres starts a cluster with script (installing PostgreSQL when
// the machine has none).
func startPostgres(ctx context.Context, script string) (*pgCluster, error) {
	vals, err := runScript(ctx, script, "start")
	if err != nil {
		return nil, err
	}
	if vals["STATE_FILE"] == "" {
		return nil, fmt.Errorf("%s start printed no STATE_FILE", filepath.Base(script))
	}
	return &pgCluster{script: script, state: vals["STATE_FILE"], version: vals["PG_VERSION"]}, nil
}

// conductorProps creates a database and writes the properties that put
// Conductor's data, queues and index on it, after base (the sweeper
// cadence; may be ""), into dir. Keys follow conductor-oss/conductor's
// docker/server/config/config-postgres.properties.
func (c *pgCluster) conductorProps(ctx context.Context, dir, base string) (string, error) {
	vals, err := runScript(ctx, c.script, "createdb", c.state)
	if err != nil {
		return "", err
	}
	props := base + fmt.Sprintf(`conductor.db.type=postgres
conductor.queue.type=postgres
conductor.indexing.enabled=true
conductor.indexing.type=postgres
conductor.elasticsearch.version=0
spring.datasource.url=%s
spring.datasource.username=%s
spring.datasource.password=%s
`, vals["JDBC_URL"], vals["DB_USER"], vals["DB_PASSWORD"])
	f, err := os.CreateTemp(dir, "conductor-pg-*.properties")
	if err != nil {
		return "", err
	}
	_, err = f.WriteString(props)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return f.Name(), err
}

// stop stops the cluster and removes its directory; it runs after ctx is
// cancelled too.
func (c *pgCluster) stop(ctx context.Context) error {
	_, err := runScript(context.WithoutCancel(ctx), c.script, "stop", c.state)
	return err
}

// runScript runs a bench script and returns the KEY=value lines it printed.
func runScript(ctx context.Context, script string, args ...string) (map[string]string, error) {
	cmd := exec.CommandContext(ctx, "bash", append([]string{script}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s %s: %w: %s", filepath.Base(script), args[0], err, lastLines(stderr.String(), 5))
	}
	vals := map[string]string{}
	for _, l := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(l), "="); ok {
			vals[k] = v
		}
	}
	return vals, nil
}
