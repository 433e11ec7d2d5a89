package scenario

import "fmt"

// Conductor's kitchensink (rest/src/main/resources/kitchensink/kitchensink.json and
// sub_flow_1.json, with the task definitions KitchenSinkInitializer registers, v3.32.1), run on
// the oddEven = 1 branch: SIMPLE, EVENT (sink conductor), DYNAMIC, DECISION, FORK_JOIN with two
// SUB_WORKFLOWs, JOIN, HTTP and JSONPath deep scans of the HTTP output. The HTTP task asks the
// scenario's loopback server instead of an Elasticsearch on localhost:9200.

func kitchensinkScenarios() []Scenario {
	return []Scenario{{Name: "kitchensink", Source: "kitchensink.json, sub_flow_1.json and KitchenSinkInitializer (rest module), the oddEven = 1 branch", Run: kitchensink}}
}

func kitchensink(s *S) {
	base := s.echoServer()
	var defs []M
	for i := range 40 {
		defs = append(defs, s.TaskDef(fmt.Sprintf("task_%d", i), M{"description": fmt.Sprintf("task_%d", i), "retryCount": 1, "timeoutSeconds": 0, "ownerEmail": "example@email.com"}))
	}
	defs = append(defs, s.TaskDef("search_elasticsearch", M{"description": "search_elasticsearch", "retryCount": 1, "timeoutSeconds": 0, "ownerEmail": "example@email.com"}))
	s.RegisterTaskDefs(defs...)
	subFlow := func(ref string) M {
		return M{"name": s.N("sub_workflow_x"), "taskReferenceName": ref, "type": "SUB_WORKFLOW",
			"inputParameters":  M{"mod": "${task_1.output.mod}", "oddEven": "${task_1.output.oddEven}"},
			"subWorkflowParam": M{"name": s.N("sub_flow_1"), "version": 1}}
	}
	s.RegisterWorkflow(M{"name": s.N("kitchensink"), "description": "kitchensink workflow", "version": 1, "schemaVersion": 2, "ownerEmail": "example@email.com",
		"outputParameters": M{"statues": "${get_es_1.output..status}", "workflowIds": "${get_es_1.output..workflowId}"},
		"tasks": []any{
			s.Simple("task_1", "task_1", M{"inputParameters": M{"mod": "${workflow.input.mod}", "oddEven": "${workflow.input.oddEven}"}}),
			M{"name": s.N("event_task"), "taskReferenceName": "event_0", "type": "EVENT", "sink": "conductor",
				"inputParameters": M{"mod": "${workflow.input.mod}", "oddEven": "${workflow.input.oddEven}"}},
			M{"name": s.N("dyntask"), "taskReferenceName": "task_2", "type": "DYNAMIC", "dynamicTaskNameParam": "taskToExecute",
				"inputParameters": M{"taskToExecute": "${workflow.input.task2Name}"}},
			M{"name": s.N("oddEvenDecision"), "taskReferenceName": "oddEvenDecision", "type": "DECISION", "caseValueParam": "oddEven",
				"inputParameters": M{"oddEven": "${task_2.output.oddEven}"},
				"decisionCases": M{
					"0": []any{
						s.Simple("task_4", "task_4", M{"inputParameters": M{"mod": "${task_2.output.mod}", "oddEven": "${task_2.output.oddEven}"}}),
						M{"name": s.N("dynamic_fanout"), "taskReferenceName": "fanout1", "type": "FORK_JOIN_DYNAMIC",
							"dynamicForkTasksParam": "dynamicTasks", "dynamicForkTasksInputParamName": "input",
							"inputParameters": M{"dynamicTasks": "${task_4.output.dynamicTasks}", "input": "${task_4.output.inputs}"}},
						M{"name": s.N("dynamic_join"), "taskReferenceName": "join1", "type": "JOIN"},
					},
					"1": []any{
						M{"name": s.N("fork_join"), "taskReferenceName": "forkx", "type": "FORK_JOIN", "forkTasks": []any{
							[]any{s.Simple("task_10", "task_10", nil), subFlow("wf3")},
							[]any{s.Simple("task_11", "task_11", nil), subFlow("wf4")},
						}},
						M{"name": s.N("join"), "taskReferenceName": "join2", "type": "JOIN", "joinOn": []any{"wf3", "wf4"}},
					},
				}},
			M{"name": s.N("search_elasticsearch"), "taskReferenceName": "get_es_1", "type": "HTTP",
				"inputParameters": M{"http_request": M{"uri": base + "/conductor/_search?size=10", "method": "GET"}}},
			s.Simple("task_30", "task_30", M{"inputParameters": M{"statuses": "${get_es_1.output..status}", "workflowIds": "${get_es_1.output..workflowId}"}}),
		}})
	s.RegisterWorkflow(M{"name": s.N("sub_flow_1"), "description": "A Simple sub-workflow with 2 tasks", "version": 1, "schemaVersion": 2,
		"ownerEmail": "example@email.com", "outputParameters": M{},
		"tasks": []any{s.Simple("task_5", "task_5", M{"inputParameters": M{}}), s.Simple("task_6", "task_6", nil)}})

	id := s.Start("kitchensink", M{"task2Name": s.N("task_5"), "mod": 3, "oddEven": 1}, nil)
	odd := M{"mod": 3, "oddEven": 1}
	wf := s.DriveWith(id, map[string]M{"task_1": odd, "task_5": odd},
		"task_1", "task_5", "task_10", "task_11", "task_6", "task_30")
	s.LearnTree(id)
	s.CheckShape("completed", wf, "COMPLETED: task_1=COMPLETED EVENT=COMPLETED task_5=COMPLETED DECISION=COMPLETED FORK=COMPLETED "+
		"task_10=COMPLETED task_11=COMPLETED SUB_WORKFLOW=COMPLETED SUB_WORKFLOW=COMPLETED JOIN=COMPLETED HTTP=COMPLETED task_30=COMPLETED")
	s.Check("output: the statuses and workflow ids the search found", jsonEq(wf["output"], M{
		"statues": []any{"COMPLETED", "RUNNING"}, "workflowIds": []any{"wf-a", "wf-b"}}))
}
