package scenario

import (
	"net/http"
	"net/url"
)

// Ports of test-harness/.../integration/SubWorkflowRetrySpec.groovy, SubWorkflowRestartSpec.groovy
// and SubWorkflowRerunSpec.groovy (v3.32.1): three levels of integration_test_wf_with_sub_wf
// (root → mid-level → leaf integration_test_wf), all FAILED by integration_task_2 failing in the
// leaf; then a retry, restart or rerun on one level, and the workers finish what comes back.

type treeOp struct {
	name, source string
	level        int // 0 root, 1 mid-level, 2 leaf
	op           func(s *S, id string)
}

func subWorkflowTreeScenarios() []Scenario {
	retry := func(resume bool) func(*S, string) {
		return func(s *S, id string) {
			r := s.WF(http.MethodPost, "/workflow/{workflowId}/retry", id, url.Values{"resumeSubworkflowTasks": {boolStr(resume)}})
			s.Check("retry answers 204", r.Status == http.StatusNoContent)
		}
	}
	restart := func(s *S, id string) {
		r := s.WF(http.MethodPost, "/workflow/{workflowId}/restart", id, url.Values{"useLatestDefinitions": {"false"}})
		s.Check("restart answers 204", r.Status == http.StatusNoContent)
	}
	rerun := func(fromTask bool) func(*S, string) {
		return func(s *S, id string) {
			body := M{"reRunFromWorkflowId": id}
			if fromTask {
				wf := s.GetWorkflow(id, "the workflow to rerun")
				body["reRunFromTaskId"] = Tasks(wf)[0]["taskId"]
			}
			r := s.Do(Req{Method: http.MethodPost, Path: "/workflow/{workflowId}/rerun", Args: []string{id}, Body: body})
			s.Check("rerun answers 200", r.Status == http.StatusOK)
		}
	}
	levels := []string{"root", "mid-level", "leaf"}
	rerunLevels := []string{"root-level", "mid-level", "leaf-level"} // SubWorkflowRerunSpec's wording
	var ops []treeOp
	for l, lv := range levels {
		ops = append(ops,
			treeOp{"spec_subworkflow_retry_" + lv, "SubWorkflowRetrySpec: Test retry on the " + lv + " in a 3-level subworkflow", l, retry(false)},
			treeOp{"spec_subworkflow_retry_resume_" + lv, "SubWorkflowRetrySpec: Test retry on the " + lv + " with resume flag in a 3-level subworkflow", l, retry(true)},
			treeOp{"spec_subworkflow_restart_" + lv, "SubWorkflowRestartSpec: Test restart on the " + lv + " in a 3-level subworkflow", l, restart},
			treeOp{"spec_subworkflow_rerun_" + lv, "SubWorkflowRerunSpec: Test rerun on the " + rerunLevels[l] + " in a 3-level subworkflow", l, rerun(false)},
			treeOp{"spec_subworkflow_rerun_task_" + lv, "SubWorkflowRerunSpec: Test rerun on the " + rerunLevels[l] + " with taskId in a 3-level subworkflow", l, rerun(true)},
		)
	}
	out := make([]Scenario, len(ops))
	for i, o := range ops {
		out[i] = Scenario{Name: o.name, Source: o.source, Run: func(s *S) { s.treeScenario(o) }}
	}
	return out
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func (s *S) treeScenario(o treeOp) {
	ids := s.failedTree()
	o.op(s, ids[o.level])
	wf := s.Drive(ids[0], "integration_task_1", "integration_task_2")
	s.Check("root COMPLETED", str(wf, "status") == "COMPLETED")
	s.LearnTree(ids[0])
	s.Note("workflows in the tree (the 3 failed ones and any new)", len(s.workflows))
}

// failedTree is the specs' setup: root, mid-level and leaf all FAILED because the leaf's
// integration_task_2 (retryCount 0) failed. It returns their ids. sub_workflow_task has
// retryCount 0 here: with the harness's 1, the real server retries the mid-level's failed
// SUB_WORKFLOW task with a new leaf (DeciderService.retry), and the mid-level never fails as the
// specs' setup expects.
func (s *S) failedTree() [3]string {
	s.registerSubWorkflowFixturesRetries(0, 0, nil)
	root := s.Start("integration_test_wf_with_sub_wf", s.subWorkflowInput("integration_test_wf_with_sub_wf", "integration_test_wf"),
		M{"version": 1, "correlationId": "3level_wf"})
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	mid := s.SubWorkflowOf(root, "t2")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	leaf := s.SubWorkflowOf(mid, "t2")
	s.PollComplete("integration_task_1", M{"op": "task1.done"})
	s.must(s.Fail(s.AwaitPoll("integration_task_2"), "FAILED", "failed"), http.StatusOK)
	s.CheckShape("leaf failed", s.AwaitStatus(leaf, "FAILED"), "FAILED: integration_task_1=COMPLETED integration_task_2=FAILED")
	s.CheckShape("mid-level failed", s.AwaitDeciding(mid, "FAILED"), "FAILED: integration_task_1=COMPLETED SUB_WORKFLOW=FAILED")
	s.CheckShape("root failed", s.AwaitDeciding(root, "FAILED"), "FAILED: integration_task_1=COMPLETED SUB_WORKFLOW=FAILED")
	return [3]string{root, mid, leaf}
}
