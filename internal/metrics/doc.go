// Package metrics holds the Baton server's Prometheus metrics: the
// collectors, the hooks the engine, the SQLite writer and the HTTP handler
// call, and the queue collector read at scrape time. Everything is
// registered on a registry the server owns (never the global one) and
// served at /metrics. The table of metrics is in the README.
package metrics
