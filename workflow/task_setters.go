package workflow

// The common setters, repeated for each builder so that chained calls keep
// the builder's type (Go has no generic methods). Written out by hand-run
// shell; keep them in step with Task's.

// Input sets one input parameter; see Task.Input.
func (task *SimpleTask) Input(key string, value any) *SimpleTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *SimpleTask) InputMap(inputMap map[string]any) *SimpleTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *SimpleTask) Optional(optional bool) *SimpleTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *SimpleTask) Description(description string) *SimpleTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *SimpleTask) CacheConfig(cacheKey string, ttlInSeconds int) *SimpleTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *HttpTask) Input(key string, value any) *HttpTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *HttpTask) InputMap(inputMap map[string]any) *HttpTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *HttpTask) Optional(optional bool) *HttpTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *HttpTask) Description(description string) *HttpTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *HttpTask) CacheConfig(cacheKey string, ttlInSeconds int) *HttpTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *SwitchTask) Input(key string, value any) *SwitchTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *SwitchTask) InputMap(inputMap map[string]any) *SwitchTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *SwitchTask) Optional(optional bool) *SwitchTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *SwitchTask) Description(description string) *SwitchTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *SwitchTask) CacheConfig(cacheKey string, ttlInSeconds int) *SwitchTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *ForkTask) Input(key string, value any) *ForkTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *ForkTask) InputMap(inputMap map[string]any) *ForkTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *ForkTask) Optional(optional bool) *ForkTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *ForkTask) Description(description string) *ForkTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *ForkTask) CacheConfig(cacheKey string, ttlInSeconds int) *ForkTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *JoinTask) Input(key string, value any) *JoinTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *JoinTask) InputMap(inputMap map[string]any) *JoinTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *JoinTask) Optional(optional bool) *JoinTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *JoinTask) Description(description string) *JoinTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *JoinTask) CacheConfig(cacheKey string, ttlInSeconds int) *JoinTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *DynamicForkTask) Input(key string, value any) *DynamicForkTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *DynamicForkTask) InputMap(inputMap map[string]any) *DynamicForkTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *DynamicForkTask) Optional(optional bool) *DynamicForkTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *DynamicForkTask) Description(description string) *DynamicForkTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *DynamicForkTask) CacheConfig(cacheKey string, ttlInSeconds int) *DynamicForkTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *DoWhileTask) Input(key string, value any) *DoWhileTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *DoWhileTask) InputMap(inputMap map[string]any) *DoWhileTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *DoWhileTask) Optional(optional bool) *DoWhileTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *DoWhileTask) Description(description string) *DoWhileTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *DoWhileTask) CacheConfig(cacheKey string, ttlInSeconds int) *DoWhileTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *DynamicTask) Input(key string, value any) *DynamicTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *DynamicTask) InputMap(inputMap map[string]any) *DynamicTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *DynamicTask) Optional(optional bool) *DynamicTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *DynamicTask) Description(description string) *DynamicTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *DynamicTask) CacheConfig(cacheKey string, ttlInSeconds int) *DynamicTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *SubWorkflowTask) Input(key string, value any) *SubWorkflowTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *SubWorkflowTask) InputMap(inputMap map[string]any) *SubWorkflowTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *SubWorkflowTask) Optional(optional bool) *SubWorkflowTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *SubWorkflowTask) Description(description string) *SubWorkflowTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *SubWorkflowTask) CacheConfig(cacheKey string, ttlInSeconds int) *SubWorkflowTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *StartWorkflowTask) Input(key string, value any) *StartWorkflowTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *StartWorkflowTask) InputMap(inputMap map[string]any) *StartWorkflowTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *StartWorkflowTask) Optional(optional bool) *StartWorkflowTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *StartWorkflowTask) Description(description string) *StartWorkflowTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *StartWorkflowTask) CacheConfig(cacheKey string, ttlInSeconds int) *StartWorkflowTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *WaitTask) Input(key string, value any) *WaitTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *WaitTask) InputMap(inputMap map[string]any) *WaitTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *WaitTask) Optional(optional bool) *WaitTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *WaitTask) Description(description string) *WaitTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *WaitTask) CacheConfig(cacheKey string, ttlInSeconds int) *WaitTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *HumanTask) Input(key string, value any) *HumanTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *HumanTask) InputMap(inputMap map[string]any) *HumanTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *HumanTask) Optional(optional bool) *HumanTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *HumanTask) Description(description string) *HumanTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *HumanTask) CacheConfig(cacheKey string, ttlInSeconds int) *HumanTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *TerminateTask) Input(key string, value any) *TerminateTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *TerminateTask) InputMap(inputMap map[string]any) *TerminateTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *TerminateTask) Optional(optional bool) *TerminateTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *TerminateTask) Description(description string) *TerminateTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *TerminateTask) CacheConfig(cacheKey string, ttlInSeconds int) *TerminateTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *SetVariableTask) Input(key string, value any) *SetVariableTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *SetVariableTask) InputMap(inputMap map[string]any) *SetVariableTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *SetVariableTask) Optional(optional bool) *SetVariableTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *SetVariableTask) Description(description string) *SetVariableTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *SetVariableTask) CacheConfig(cacheKey string, ttlInSeconds int) *SetVariableTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *InlineTask) Input(key string, value any) *InlineTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *InlineTask) InputMap(inputMap map[string]any) *InlineTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *InlineTask) Optional(optional bool) *InlineTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *InlineTask) Description(description string) *InlineTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *InlineTask) CacheConfig(cacheKey string, ttlInSeconds int) *InlineTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *JQTask) Input(key string, value any) *JQTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *JQTask) InputMap(inputMap map[string]any) *JQTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *JQTask) Optional(optional bool) *JQTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *JQTask) Description(description string) *JQTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *JQTask) CacheConfig(cacheKey string, ttlInSeconds int) *JQTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *EventTask) Input(key string, value any) *EventTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *EventTask) InputMap(inputMap map[string]any) *EventTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *EventTask) Optional(optional bool) *EventTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *EventTask) Description(description string) *EventTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *EventTask) CacheConfig(cacheKey string, ttlInSeconds int) *EventTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *KafkaPublishTask) Input(key string, value any) *KafkaPublishTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *KafkaPublishTask) InputMap(inputMap map[string]any) *KafkaPublishTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *KafkaPublishTask) Optional(optional bool) *KafkaPublishTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *KafkaPublishTask) Description(description string) *KafkaPublishTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *KafkaPublishTask) CacheConfig(cacheKey string, ttlInSeconds int) *KafkaPublishTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}

// Input sets one input parameter; see Task.Input.
func (task *UpdateTask) Input(key string, value any) *UpdateTask {
	task.Task.Input(key, value)
	return task
}

// InputMap sets several input parameters.
func (task *UpdateTask) InputMap(inputMap map[string]any) *UpdateTask {
	task.Task.InputMap(inputMap)
	return task
}

// Optional lets the workflow go on when the task fails.
func (task *UpdateTask) Optional(optional bool) *UpdateTask {
	task.Task.Optional(optional)
	return task
}

// Description sets the task's description.
func (task *UpdateTask) Description(description string) *UpdateTask {
	task.Task.Description(description)
	return task
}

// CacheConfig caches the task's output; see Task.CacheConfig.
func (task *UpdateTask) CacheConfig(cacheKey string, ttlInSeconds int) *UpdateTask {
	task.Task.CacheConfig(cacheKey, ttlInSeconds)
	return task
}
