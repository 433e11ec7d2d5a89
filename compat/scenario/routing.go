package scenario

import (
	"net/http"
	"net/url"
)

// Task-to-domain routing (Conductor's WorkflowExecutorOps.setTaskDomains: "*", comma lists with the first active domain, the last
// entry as fallback, NO_DOMAIN).

func routingScenarios() []Scenario {
	return []Scenario{
		{Name: "domains_star", Source: `taskToDomain {"*": "d1"}: only a poll in d1 gets the task`, Run: domainsStar},
		{Name: "domains_specific_overrides_star", Source: `taskToDomain {"*": "d1", "<b>": "d2"}`, Run: domainsSpecific},
		{Name: "domains_comma_list_active", Source: `taskToDomain {"<a>": "d1,d2"} with a worker recently polling d2: d2`, Run: domainsActive},
		{Name: "domains_comma_list_fallback", Source: `taskToDomain {"<a>": "d1,d3"} with no active worker: the last entry, d3`, Run: domainsFallback},
		{Name: "domains_no_domain", Source: `taskToDomain {"<a>": "d1,NO_DOMAIN"} with no active worker: no domain`, Run: domainsNoDomain},
	}
}

func (s *S) domainWF(taskToDomain M, x int) string {
	return s.Start("wf", M{"x": x}, M{"taskToDomain": taskToDomain})
}

func domainsStar(s *S) {
	s.twoTasks(nil)
	id := s.domainWF(M{"*": "d1"}, 1)
	s.NoTask("a", "not in the default queue")
	s.NoTaskAs("a", Worker, "d2", "not in another domain")
	t := s.AwaitPollAs("a", Worker, "d1")
	s.must(s.Complete(t, M{"v": 1}), http.StatusOK)
	s.must(s.Complete(s.AwaitPollAs("b", Worker, "d1"), nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
	s.Do(Req{Method: http.MethodGet, Path: "/tasks/queue/polldata", Query: url.Values{"taskType": {s.N("a")}}, View: sortPollData})
}

func domainsSpecific(s *S) {
	s.twoTasks(nil)
	id := s.domainWF(M{"*": "d1", s.N("b"): "d2"}, 1)
	s.must(s.Complete(s.AwaitPollAs("a", Worker, "d1"), M{"v": 1}), http.StatusOK)
	s.NoTaskAs("b", Worker, "d1", "b not in d1")
	s.must(s.Complete(s.AwaitPollAs("b", Worker, "d2"), nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}

func domainsActive(s *S) {
	s.oneTask(nil, nil)
	s.PollAs("a", "w-d2", "d2") // registers a recent poll in d2
	id := s.domainWF(M{s.N("a"): "d1,d2"}, 1)
	s.GetWorkflow(id, "routed")
	s.must(s.Complete(s.AwaitPollAs("a", "w-d2", "d2"), nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}

func domainsFallback(s *S) {
	s.oneTask(nil, nil)
	id := s.domainWF(M{s.N("a"): "d1,d3"}, 1)
	s.GetWorkflow(id, "routed")
	s.NoTaskAs("a", Worker, "d1", "not in d1")
	s.must(s.Complete(s.AwaitPollAs("a", Worker, "d3"), nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}

func domainsNoDomain(s *S) {
	s.oneTask(nil, nil)
	id := s.domainWF(M{s.N("a"): "d1,NO_DOMAIN"}, 1)
	s.GetWorkflow(id, "routed")
	s.must(s.Complete(s.AwaitPoll("a"), nil), http.StatusOK)
	s.AwaitStatus(id, "COMPLETED")
}
