package client_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/batonhq/baton/client"
	"github.com/batonhq/baton/model"
)

// TestBadInputSendsNothing checks that every call refuses a missing or
// unusable argument before any request: the fake server has an empty script,
// so any request fails the test.
func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	type call func(ctx context.Context, c *client.APIClient) error
	calls := map[string]call{}
	// ids adds one case per unusable value of one id argument.
	ids := func(name string, f func(ctx context.Context, c *client.APIClient, id string) error) {
		for _, bad := range []string{"", ".", ".."} {
			calls[name+"("+bad+")"] = func(ctx context.Context, c *client.APIClient) error { return f(ctx, c, bad) }
		}
	}

	// Tasks.
	ids("Poll", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().Poll(ctx, s, client.PollOptions{})
		return err
	})
	ids("BatchPoll", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().BatchPoll(ctx, s, client.BatchPollOptions{})
		return err
	})
	calls["Update(nil)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().Update(ctx, nil)
		return err
	}
	calls["Update(no task id)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().Update(ctx, &model.TaskResult{WorkflowInstanceId: "w"})
		return err
	}
	calls["Update(no workflow id)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().Update(ctx, &model.TaskResult{TaskId: "t"})
		return err
	}
	calls["UpdateV2(nil)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().UpdateV2(ctx, nil)
		return err
	}
	calls["UpdateV2(no task id)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().UpdateV2(ctx, &model.TaskResult{WorkflowInstanceId: "w"})
		return err
	}
	ids("UpdateByRefName workflow", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().UpdateByRefName(ctx, s, "ref", model.CompletedTask, nil, "")
		return err
	})
	ids("UpdateByRefName ref", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().UpdateByRefName(ctx, "wf", s, model.CompletedTask, nil, "")
		return err
	})
	ids("UpdateByRefName status", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().UpdateByRefName(ctx, "wf", "ref", model.TaskResultStatus(s), nil, "")
		return err
	})
	ids("Get", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().Get(ctx, s)
		return err
	})
	ids("AddLog", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Tasks().AddLog(ctx, s, "line")
	})
	calls["AddLog(empty line)"] = func(ctx context.Context, c *client.APIClient) error { return c.Tasks().AddLog(ctx, "t", "") }
	ids("Logs", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Tasks().Logs(ctx, s)
		return err
	})
	calls["QueueSize()"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().QueueSize(ctx, "", "")
		return err
	}
	calls["QueueSizes()"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().QueueSizes(ctx)
		return err
	}
	calls["QueueSizes(a, '')"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().QueueSizes(ctx, "a", "")
		return err
	}
	calls["PollData()"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().PollData(ctx, "")
		return err
	}
	calls["Tasks.Search(negative start)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Tasks().Search(ctx, client.SearchOptions{Start: -1})
		return err
	}

	// Workflows.
	calls["Start(nil)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Start(ctx, nil)
		return err
	}
	calls["Start(no name)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Start(ctx, &model.StartWorkflowRequest{})
		return err
	}
	calls["Start(priority 100)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Start(ctx, &model.StartWorkflowRequest{Name: "w", Priority: new(100)})
		return err
	}
	ids("StartByName", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().StartByName(ctx, s, nil, client.StartOptions{})
		return err
	})
	calls["StartByName(version -1)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().StartByName(ctx, "w", nil, client.StartOptions{Version: -1})
		return err
	}
	calls["StartByName(priority -1)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().StartByName(ctx, "w", nil, client.StartOptions{Priority: -1})
		return err
	}
	ids("Execute", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().Execute(ctx, s, 0, nil, client.ExecuteOptions{})
		return err
	})
	calls["Execute(version -1)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Execute(ctx, "w", -1, nil, client.ExecuteOptions{})
		return err
	}
	calls["Execute(wait -1)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Execute(ctx, "w", 0, nil, client.ExecuteOptions{WaitForSeconds: -1})
		return err
	}
	calls["Execute(ref with comma)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Execute(ctx, "w", 0, nil, client.ExecuteOptions{WaitUntilTaskRefs: []string{"a,b"}})
		return err
	}
	ids("Get workflow", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().Get(ctx, s, true)
		return err
	})
	ids("Status", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().Status(ctx, s, true, true)
		return err
	})
	calls["Workflows.Search(negative size)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Search(ctx, client.SearchOptions{Size: -1})
		return err
	}
	calls["Workflows.Search(sort with pipe)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Search(ctx, client.SearchOptions{Sort: []string{"a:ASC|b:DESC"}})
		return err
	}
	ids("ByCorrelationID name", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().ByCorrelationID(ctx, s, "c", false, false)
		return err
	})
	ids("ByCorrelationID id", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().ByCorrelationID(ctx, "w", s, false, false)
		return err
	})
	ids("Running", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().Running(ctx, s, 1)
		return err
	})
	calls["Running(version -1)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Workflows().Running(ctx, "w", -1)
		return err
	}
	ids("Terminate", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Workflows().Terminate(ctx, s, "")
	})
	ids("Pause", func(ctx context.Context, c *client.APIClient, s string) error { return c.Workflows().Pause(ctx, s) })
	ids("Resume", func(ctx context.Context, c *client.APIClient, s string) error { return c.Workflows().Resume(ctx, s) })
	ids("Restart", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Workflows().Restart(ctx, s, false)
	})
	ids("Retry", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Workflows().Retry(ctx, s, false)
	})
	ids("Rerun", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Workflows().Rerun(ctx, s, nil)
		return err
	})
	ids("SkipTask workflow", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Workflows().SkipTask(ctx, s, "ref", nil)
	})
	ids("SkipTask ref", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Workflows().SkipTask(ctx, "wf", s, nil)
	})
	ids("Remove", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Workflows().Remove(ctx, s, false)
	})

	// Metadata.
	calls["RegisterTaskDefs()"] = func(ctx context.Context, c *client.APIClient) error {
		return c.Metadata().RegisterTaskDefs(ctx)
	}
	calls["RegisterTaskDefs(unnamed)"] = func(ctx context.Context, c *client.APIClient) error {
		return c.Metadata().RegisterTaskDefs(ctx, model.TaskDef{Name: "a"}, model.TaskDef{})
	}
	calls["UpdateTaskDef(nil)"] = func(ctx context.Context, c *client.APIClient) error { return c.Metadata().UpdateTaskDef(ctx, nil) }
	calls["UpdateTaskDef(unnamed)"] = func(ctx context.Context, c *client.APIClient) error {
		return c.Metadata().UpdateTaskDef(ctx, &model.TaskDef{})
	}
	ids("GetTaskDef", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Metadata().GetTaskDef(ctx, s)
		return err
	})
	ids("DeleteTaskDef", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Metadata().DeleteTaskDef(ctx, s)
	})
	calls["RegisterWorkflowDef(nil)"] = func(ctx context.Context, c *client.APIClient) error {
		return c.Metadata().RegisterWorkflowDef(ctx, nil, false)
	}
	calls["RegisterWorkflowDef(unnamed)"] = func(ctx context.Context, c *client.APIClient) error {
		return c.Metadata().RegisterWorkflowDef(ctx, &model.WorkflowDef{}, true)
	}
	calls["UpdateWorkflowDefs()"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Metadata().UpdateWorkflowDefs(ctx)
		return err
	}
	calls["UpdateWorkflowDefs(unnamed)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Metadata().UpdateWorkflowDefs(ctx, model.WorkflowDef{})
		return err
	}
	ids("GetWorkflowDef", func(ctx context.Context, c *client.APIClient, s string) error {
		_, err := c.Metadata().GetWorkflowDef(ctx, s, 0)
		return err
	})
	calls["GetWorkflowDef(version -1)"] = func(ctx context.Context, c *client.APIClient) error {
		_, err := c.Metadata().GetWorkflowDef(ctx, "w", -1)
		return err
	}
	ids("DeleteWorkflowDef", func(ctx context.Context, c *client.APIClient, s string) error {
		return c.Metadata().DeleteWorkflowDef(ctx, s, 1)
	})
	calls["DeleteWorkflowDef(version 0)"] = func(ctx context.Context, c *client.APIClient) error {
		return c.Metadata().DeleteWorkflowDef(ctx, "w", 0)
	}

	// Bulk.
	bulk := map[string]func(ctx context.Context, c *client.APIClient, ids []string) error{
		"Pause": func(ctx context.Context, c *client.APIClient, ids []string) error {
			_, err := c.Bulk().Pause(ctx, ids)
			return err
		},
		"Resume": func(ctx context.Context, c *client.APIClient, ids []string) error {
			_, err := c.Bulk().Resume(ctx, ids)
			return err
		},
		"Restart": func(ctx context.Context, c *client.APIClient, ids []string) error {
			_, err := c.Bulk().Restart(ctx, ids, false)
			return err
		},
		"Retry": func(ctx context.Context, c *client.APIClient, ids []string) error {
			_, err := c.Bulk().Retry(ctx, ids)
			return err
		},
		"Terminate": func(ctx context.Context, c *client.APIClient, ids []string) error {
			_, err := c.Bulk().Terminate(ctx, ids, "")
			return err
		},
		"Remove": func(ctx context.Context, c *client.APIClient, ids []string) error {
			_, err := c.Bulk().Remove(ctx, ids, false)
			return err
		},
	}
	for name, f := range bulk {
		calls["Bulk."+name+"(nil)"] = func(ctx context.Context, c *client.APIClient) error { return f(ctx, c, nil) }
		calls["Bulk."+name+"(a, '')"] = func(ctx context.Context, c *client.APIClient) error { return f(ctx, c, []string{"a", ""}) }
	}

	for name, f := range calls {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := serveScript(t) // no request expected
			err := f(t.Context(), c)
			require.Error(t, err)
			require.Regexp(t, `^conductor: [a-z0-9 ]+: `, err.Error(), "error names the call")
		})
	}
}

// TestHostileIDsStayOneSegment checks that a value with slashes, dots,
// query characters or unicode addresses exactly one path segment.
func TestHostileIDsStayOneSegment(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"a/b":          "a%2Fb",
		"../../admin":  "..%2F..%2Fadmin",
		"x?y=1#z":      "x%3Fy=1%23z",
		"ü-名前":         "%C3%BC-%E5%90%8D%E5%89%8D",
		"%2F":          "%252F",
		"a b\n":        "a%20b%0A",
		"...":          "...",
		"/":            "%2F",
		`\..\windows`:  "%5C..%5Cwindows",
		"semi;colon,c": "semi%3Bcolon%2Cc",
	}
	for id, wire := range cases {
		t.Run(wire, func(t *testing.T) {
			t.Parallel()
			c := serveScript(t,
				exchange{method: "GET", path: "/tasks/" + wire, answer: `{"taskId":"x"}`},
				exchange{method: "PUT", path: "/workflow/" + wire + "/pause"},
			)
			task, err := c.Tasks().Get(t.Context(), id)
			require.NoError(t, err)
			require.Equal(t, "x", task.TaskId)
			require.NoError(t, c.Workflows().Pause(t.Context(), id))
		})
	}
}
