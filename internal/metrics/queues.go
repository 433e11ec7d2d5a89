package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/batonhq/baton/internal/engine"
)

// queueCollector reads the engine's queues when Prometheus scrapes, so
// polls and enqueues pay nothing for the depth and age gauges.
type queueCollector struct {
	queues     func() []engine.QueueStat
	depth, age *prometheus.Desc
}

func newQueueCollector(queues func() []engine.QueueStat) *queueCollector {
	labels := []string{"taskType", "domain"}
	return &queueCollector{
		queues: queues,
		depth: prometheus.NewDesc("baton_task_queue_depth",
			"Tasks in the queue of a task type and domain (\"\" for none), pollable now or after a delay. "+
				"Conductor: task_queue_depth.", labels, nil),
		age: prometheus.NewDesc("baton_task_queue_oldest_age_seconds",
			"How long the task that has been pollable the longest has waited in the queue; 0 when none is pollable. "+
				"Nearest in Conductor: task_pending_time.", labels, nil),
	}
}

func (c *queueCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.age
}

func (c *queueCollector) Collect(ch chan<- prometheus.Metric) {
	if c.queues == nil {
		return
	}
	for _, q := range c.queues() {
		ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(q.Depth), q.TaskType, q.Domain)
		ch <- prometheus.MustNewConstMetric(c.age, prometheus.GaugeValue, q.OldestAge.Seconds(), q.TaskType, q.Domain)
	}
}
