package main

import (
	"context"
	"log/slog"
	"os"
	"time"

	cclient "github.com/conductor-sdk/conductor-go/sdk/client"
	cmodel "github.com/conductor-sdk/conductor-go/sdk/model"
	csettings "github.com/conductor-sdk/conductor-go/sdk/settings"
	cworker "github.com/conductor-sdk/conductor-go/sdk/worker"
	"github.com/sirupsen/logrus"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
	"github.com/batonhq/baton/settings"
	"github.com/batonhq/baton/worker"
)

// startBaton runs Baton's WorkerHost with its defaults: long polls of 1 s,
// update-v2 chaining, lease extension, no metrics registry.
func startBaton(c childConfig, handler func(id string)) (func(), error) {
	api, err := client.NewAPIClientWithConfig(client.Config{HTTP: settings.NewHttpSettings(c.url)})
	if err != nil {
		return nil, err
	}
	host, err := worker.NewWorkerHostWithConfig(worker.HostConfig{
		Client:    api,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		LookupEnv: func(string) (string, bool) { return "", false },
	})
	if err != nil {
		return nil, err
	}
	fn := func(t *model.WorkerTask) (any, error) {
		handler(t.TaskId)
		return nil, nil
	}
	if err := host.StartWorkerWithConfig(worker.WorkerConfig{
		TaskName: c.task, Func: fn, Concurrency: c.conc, PollInterval: c.pollInterval,
	}); err != nil {
		return nil, err
	}
	return func() {
		stopWithin(5*time.Second, func(ctx context.Context) { _ = host.Shutdown(ctx) })
	}, nil
}

// startConductorGo runs the official SDK's TaskRunner with its defaults
// (server-default poll timeout, its own HTTP client) and the same batch size
// and poll interval.
func startConductorGo(c childConfig, handler func(id string)) (func(), error) {
	logrus.SetLevel(logrus.WarnLevel) // its Info lines at start are noise here; per-task logging is Debug/Trace anyway
	api := cclient.NewAPIClient(nil, csettings.NewHttpSettings(c.url))
	runner := cworker.NewTaskRunnerWithApiClient(api)
	fn := func(t *cmodel.Task) (any, error) {
		handler(t.TaskId)
		return nil, nil
	}
	if err := runner.StartWorker(c.task, fn, c.conc, c.pollInterval); err != nil {
		return nil, err
	}
	return func() { runner.Shutdown(c.task) }, nil // its loops stop after their current sleep; the process exits
}
