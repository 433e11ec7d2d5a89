package model

// WorkflowSchedule starts a workflow on a cron schedule: Conductor's
// scheduler module (io.orkes.conductor.scheduler.model.WorkflowSchedule),
// served under /api/scheduler.
//
// CronExpression has Spring's six fields, seconds first ("0 0 9 * * MON-FRI"),
// evaluated in ZoneId ("UTC" when empty). ScheduleStartTime and
// ScheduleEndTime (epoch milliseconds) bound the runs. After a time the
// server was down, only the next run is started unless
// RunCatchupScheduleInstances is set, in which case every missed run is.
type WorkflowSchedule struct {
	Name                        string                `json:"name"`
	CronExpression              string                `json:"cronExpression,omitempty"`
	RunCatchupScheduleInstances bool                  `json:"runCatchupScheduleInstances"`
	Paused                      bool                  `json:"paused"`
	PausedReason                string                `json:"pausedReason,omitempty"`
	StartWorkflowRequest        *StartWorkflowRequest `json:"startWorkflowRequest,omitempty"`
	ZoneId                      string                `json:"zoneId,omitempty"`
	ScheduleStartTime           *int64                `json:"scheduleStartTime,omitempty"`
	ScheduleEndTime             *int64                `json:"scheduleEndTime,omitempty"`
	CreateTime                  *int64                `json:"createTime,omitempty"`
	UpdatedTime                 *int64                `json:"updatedTime,omitempty"`
	CreatedBy                   *string               `json:"createdBy,omitempty"`
	UpdatedBy                   *string               `json:"updatedBy,omitempty"`
	Description                 string                `json:"description,omitempty"`
	// CronSchedules is Conductor's list of several cron expressions for one
	// schedule. Baton's server accepts only an empty list.
	CronSchedules []CronSchedule `json:"cronSchedules"`
}

// CronSchedule is one cron expression with its zone.
type CronSchedule struct {
	CronExpression string `json:"cronExpression,omitempty"`
	ZoneId         string `json:"zoneId,omitempty"`
}

// ScheduleExecutionState is what became of one run of a schedule.
type ScheduleExecutionState string

// The states of a schedule's run (WorkflowScheduleExecutionModel.State).
const (
	ScheduleExecutionPolled   ScheduleExecutionState = "POLLED"
	ScheduleExecutionFailed   ScheduleExecutionState = "FAILED"
	ScheduleExecutionExecuted ScheduleExecutionState = "EXECUTED"
)

// WorkflowScheduleExecution records one run of a schedule: when it was due,
// when it ran, and the workflow it started or why it could not
// (Conductor's WorkflowScheduleExecutionModel).
type WorkflowScheduleExecution struct {
	ExecutionId          string                 `json:"executionId"`
	ScheduleName         string                 `json:"scheduleName"`
	ScheduledTime        int64                  `json:"scheduledTime"`
	ExecutionTime        int64                  `json:"executionTime"`
	WorkflowName         string                 `json:"workflowName,omitempty"`
	WorkflowId           string                 `json:"workflowId,omitempty"`
	Reason               string                 `json:"reason,omitempty"`
	StackTrace           string                 `json:"stackTrace,omitempty"`
	StartWorkflowRequest *StartWorkflowRequest  `json:"startWorkflowRequest,omitempty"`
	State                ScheduleExecutionState `json:"state,omitempty"`
	ZoneId               string                 `json:"zoneId,omitempty"`
}
