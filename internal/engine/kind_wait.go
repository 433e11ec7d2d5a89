package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/batonhq/baton/model"
)

// waitKind matches Conductor's Wait (and WaitTaskMapper): IN_PROGRESS from
// the start; with a duration or an until time it completes once that time
// has passed, woken by the engine's timers; with neither it waits for the
// task update API. Conductor keeps the deadline in TaskModel.waitTimeout,
// which the Task JSON does not carry; Baton computes it from the task's
// input and start time, so it survives a restart with the row.
type waitKind struct{ systemKind }

func (waitKind) async() bool { return true }

// validate is WorkflowTaskTypeConstraint.isWaitTaskValid.
func (waitKind) validate(wt *model.WorkflowTask) []string {
	duration, until := waitInputs(wt.InputParameters)
	var msgs []string
	if duration != "" && until != "" {
		msgs = append(msgs, "Both 'duration' and 'until' specified. Please provide only one input")
	}
	switch {
	case duration != "" && !strings.HasPrefix(duration, "${"):
		if _, err := parseWaitDuration(duration); err != nil {
			msgs = append(msgs, "Either date or duration is passed as null ")
		}
	case until != "" && !strings.HasPrefix(until, "${"):
		if _, err := parseWaitUntil(until); err != nil {
			msgs = append(msgs, "Unable to parse date ")
		}
	}
	return msgs
}

func waitInputs(in map[string]any) (duration, until string) {
	str := func(v any) string {
		if v == nil {
			return ""
		}
		return strings.TrimSpace(fmt.Sprint(v))
	}
	return str(in["duration"]), str(in["until"])
}

func (waitKind) mapTasks(e *Engine, mc *mapContext) ([]*model.WorkerTask, error) {
	tasks, err := mapSystemTask(e, mc, model.TaskInProgress, false)
	if err != nil {
		return nil, err
	}
	t := tasks[0]
	now := e.clock.Now()
	deadline, err := waitDeadline(t)
	switch {
	case err != nil:
		t.ReasonForIncompletion = err.Error()
		t.Status = model.TaskFailedWithTerminalError
	case deadline.IsZero():
		t.CallbackAfterSeconds = math.MaxInt32 // waits for the API
	case waitHasDuration(t):
		// WaitTaskMapper.setCallbackAfter: the duration's whole seconds, so
		// the queue first hands the task out when it is due.
		t.CallbackAfterSeconds = int64(deadline.Sub(time.UnixMilli(t.StartTime)) / time.Second)
	default:
		t.CallbackAfterSeconds = max(int64(deadline.Sub(now)/time.Second), 0)
	}
	return tasks, nil
}

func (waitKind) start(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) error {
	t.Status = model.TaskInProgress
	return nil
}

func (waitKind) cancel(_ context.Context, _ *Engine, _ *execution, t *model.WorkerTask) error {
	t.Status = model.TaskCanceled
	return nil
}

// execute completes the task once its deadline has passed. Conductor
// compares with ">" on a clock that has moved on a few milliseconds by the
// time the queue hands the task out; Baton's timers fire exactly at the
// deadline, so ">=" gives the same result.
func (waitKind) execute(_ context.Context, e *Engine, _ *execution, t *model.WorkerTask) (bool, error) {
	deadline, err := waitDeadline(t)
	if err != nil || deadline.IsZero() {
		return false, nil //nolint:nilerr // mapTasks already failed a task whose input is bad
	}
	if !e.clock.Now().Before(deadline) {
		t.Status = model.TaskCompleted
		return true, nil
	}
	return false, nil
}

// evaluationOffset wakes the task at its deadline (Wait.getEvaluationOffset);
// one that waits for the API is not woken.
func (waitKind) evaluationOffset(e *Engine, t *model.WorkerTask) (time.Duration, bool) {
	deadline, err := waitDeadline(t)
	if err != nil || deadline.IsZero() {
		return never, true
	}
	return max(deadline.Sub(e.clock.Now()), 0), true
}

func waitHasDuration(t *model.WorkerTask) bool {
	duration, _ := waitInputs(t.InputData)
	return duration != ""
}

// waitDeadline is the time a WAIT task completes (TaskModel.waitTimeout),
// zero when it waits for the API: its start time plus duration, or until.
func waitDeadline(t *model.WorkerTask) (time.Time, error) {
	duration, until := waitInputs(t.InputData)
	switch {
	case duration != "" && until != "":
		return time.Time{}, errors.New("Both 'duration' and 'until' specified. Please provide only one input") //nolint:staticcheck // Conductor's message, word for word (users match on it)
	case duration != "":
		d, err := parseWaitDuration(duration)
		if err != nil {
			return time.Time{}, err
		}
		return time.UnixMilli(t.StartTime).Add(d), nil
	case until != "":
		at, err := parseWaitUntil(until)
		if err != nil {
			return time.Time{}, fmt.Errorf("Invalid/Unsupported Wait Until format.  Provided: %s", until)
		}
		return at, nil
	}
	return time.Time{}, nil
}

// durationPattern is DateTimeUtils.DURATION_PATTERN: days, hours, minutes
// and seconds, each optional, in that order ("1d 2h", "30s", "1 hour 5 mins").
var durationPattern = regexp.MustCompile(`(?i)^\s*(?:(\d+)\s*(?:days?|d))?\s*(?:(\d+)\s*(?:hours?|hrs?|h))?\s*(?:(\d+)\s*(?:minutes?|mins?|m))?\s*(?:(\d+)\s*(?:seconds?|secs?|s))?\s*$`)

// parseWaitDuration is DateTimeUtils.parseDuration.
func parseWaitDuration(text string) (time.Duration, error) {
	m := durationPattern.FindStringSubmatch(text)
	if m == nil {
		return 0, fmt.Errorf("Not valid duration: %s", text) //nolint:staticcheck // Conductor's message, word for word (users match on it)
	}
	var total int64
	for i, unit := range []int64{86400, 3600, 60, 1} {
		if m[i+1] == "" {
			continue
		}
		n, err := strconv.ParseInt(m[i+1], 10, 32)
		if err != nil {
			return 0, fmt.Errorf("Not valid duration: %s", text) //nolint:staticcheck // Conductor's message, word for word (users match on it)
		}
		total += n * unit
	}
	return secs(total), nil
}

// parseWaitUntil is DateTimeUtils.parseDate: "yyyy-MM-dd HH:mm",
// "yyyy-MM-dd HH:mm z" (a zone name such as UTC or an offset such as
// GMT+05:30 or +0530) or "yyyy-MM-dd". A time without a zone is UTC;
// Conductor reads it in the server's default time zone.
func parseWaitUntil(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse("2006-01-02 15:04", s); err == nil {
		return t, nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	date, zone, ok := cutLast(s, " ")
	if !ok {
		return time.Time{}, fmt.Errorf("unable to parse the date: %s", s)
	}
	t, err := time.Parse("2006-01-02 15:04", date)
	if err != nil {
		return time.Time{}, fmt.Errorf("unable to parse the date: %s", s)
	}
	loc, err := zoneOf(zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("unable to parse the date: %s", s)
	}
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, loc), nil
}

func cutLast(s, sep string) (before, after string, ok bool) {
	i := strings.LastIndex(s, sep)
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+len(sep):], true
}

var offsetPattern = regexp.MustCompile(`^(?:GMT|UTC)?([+-])(\d{1,2}):?(\d{2})?$`)

// zoneOf reads a zone as SimpleDateFormat's "z" does: a name, or an offset.
func zoneOf(z string) (*time.Location, error) {
	switch strings.ToUpper(z) {
	case "UTC", "GMT", "Z", "UT":
		return time.UTC, nil
	}
	if m := offsetPattern.FindStringSubmatch(strings.ToUpper(z)); m != nil {
		h, _ := strconv.Atoi(m[2])
		mins, _ := strconv.Atoi(m[3])
		off := h*3600 + mins*60
		if m[1] == "-" {
			off = -off
		}
		return time.FixedZone(z, off), nil
	}
	return time.LoadLocation(z)
}
