"""The DSL check: a workflow built with conductor.client.workflow out of the system tasks — INLINE,
SWITCH, FORK_JOIN + JOIN, SUB_WORKFLOW, DO_WHILE, JSON_JQ_TRANSFORM — around SIMPLE tasks run by the
SDK's TaskHandler. The Go and JS checks build the same shape (../README.md).

With input {a: 2, b: 5, name: "python", loops: 3}:
  - inline_ref (InlineTask, graaljs) answers {sum: 7, parity: "odd"};
  - switch_ref (SwitchTask, value-param) on the parity runs odd_ref (word "ODD"), not even_ref or
    other_ref; size_ref (SwitchTask with use_javascript, graaljs) runs big_ref because 7 > 5;
  - `workflow >> [[word], [sub]]` forks word_ref (word "PYTHON") beside sub_ref, a SubWorkflowTask whose
    one task doubles the sum (14); the builder adds the JOIN join_forked_<uuid> on both branches' last
    tasks;
  - loop_ref (DoWhileTask) repeats loop_double_ref while $.loop_ref['iteration'] < $.loops: 3
    iterations, the body doubling the iteration it reads from ${loop_ref.output.iteration};
  - times_ref is LoopTask(3): 3 iterations of times_word_ref;
  - jq_ref (JsonJQTask) joins the words and adds the doubled sum to the loop's count.
"""
import time

from conductor.client.automator.task_handler import TaskHandler
from conductor.client.http.models.start_workflow_request import StartWorkflowRequest
from conductor.client.http.models.task_def import TaskDef
from conductor.client.worker.worker import Worker
from conductor.client.workflow.conductor_workflow import ConductorWorkflow
from conductor.client.workflow.task.do_while_task import DoWhileTask, LoopTask
from conductor.client.workflow.task.inline import InlineTask
from conductor.client.workflow.task.json_jq_task import JsonJQTask
from conductor.client.workflow.task.simple_task import SimpleTask
from conductor.client.workflow.task.sub_workflow_task import SubWorkflowTask
from conductor.client.workflow.task.switch_task import SwitchTask

A, B, LOOPS, NAME = 2, 5, 3, "python"
TERMINAL = {"COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"}


class DSLFailed(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise DSLFailed(msg)


def want_output():
    """The workflow output, computed from the input above."""
    total, word = A + B, NAME.upper()
    return {"sum": total, "parity": "odd", "chosen": "ODD", "size": "BIG", "word": word, "doubled": 2 * total,
            "iterations": LOOPS, "lastLoop": 2 * LOOPS, "times": LOOPS,
            "jq": {"words": f"ODD-{word}", "total": 2 * total + LOOPS, "all": ["ODD", word]}}


def dsl_word(text: str) -> dict:
    if not isinstance(text, str):
        raise ValueError(f"input text is {text!r}, want a string")
    return {"word": text.upper()}


def dsl_double(n: int) -> dict:
    if not isinstance(n, (int, float)):
        raise ValueError(f"input n is {n!r}, want a number")
    return {"doubled": 2 * n}


def simple(task_def, ref, **inputs):
    task = SimpleTask(task_def_name=task_def, task_reference_name=ref)
    task.input_parameters.update(inputs)
    return task


def build(executor, names):
    sub = ConductorWorkflow(name=names["sub"], executor=executor, version=1)
    sub.description = "conductor-python DSL check: doubles n"
    sub.owner_email("sdk-check@example.com")
    sub >> simple(names["double"], "double_ref", n="${workflow.input.n}")
    sub.output_parameters({"doubled": "${double_ref.output.doubled}"})

    def word(ref, text):
        return simple(names["word"], ref, text=text)

    main = ConductorWorkflow(name=names["main"], executor=executor, version=1)
    main.description = "conductor-python DSL check: the system tasks around SIMPLE tasks"
    main.owner_email("sdk-check@example.com")
    main.timeout_seconds(120)
    main >> InlineTask("inline_ref",
                       '(function () { var s = $.a + $.b; return {sum: s, parity: s % 2 == 0 ? "even" : "odd"}; })();',
                       bindings={"a": main.input("a"), "b": main.input("b")})
    main >> (SwitchTask("switch_ref", "${inline_ref.output.result.parity}")
             .switch_case("even", [word("even_ref", "even")])
             .switch_case("odd", [word("odd_ref", "odd")])
             .default_case([word("other_ref", "other")]))
    size = SwitchTask("size_ref", "$.sum > 5 ? 'big' : 'small'", use_javascript=True)
    size.input_parameter("sum", "${inline_ref.output.result.sum}")
    main >> size.switch_case("big", [word("big_ref", "big")]).default_case([word("small_ref", "small")])
    sub_task = SubWorkflowTask("sub_ref", names["sub"], 1)
    sub_task.input_parameter("n", "${inline_ref.output.result.sum}")
    main >> [[word("word_ref", main.input("name"))], [sub_task]]
    loop = DoWhileTask("loop_ref", "if ($.loop_ref['iteration'] < $.loops) { true; } else { false; }",
                       [simple(names["double"], "loop_double_ref", n="${loop_ref.output.iteration}")])
    loop.input_parameter("loops", main.input("loops"))
    main >> loop
    main >> LoopTask("times_ref", LOOPS, [word("times_word_ref", "again")])
    jq = JsonJQTask("jq_ref", '{words: (.words | join("-")), total: (.doubled + .iterations), all: .words}')
    jq.input_parameters.update({"words": ["${odd_ref.output.word}", "${word_ref.output.word}"],
                                "doubled": "${sub_ref.output.doubled}", "iterations": "${loop_ref.output.iteration}"})
    main >> jq
    main.output_parameters({
        "sum": "${inline_ref.output.result.sum}", "parity": "${inline_ref.output.result.parity}",
        "chosen": "${odd_ref.output.word}", "size": "${big_ref.output.word}", "word": "${word_ref.output.word}",
        "doubled": "${sub_ref.output.doubled}", "iterations": "${loop_ref.output.iteration}",
        "lastLoop": "${loop_double_ref.output.doubled}", "times": "${times_ref.output.iteration}",
        "jq": "${jq_ref.output.result}"})
    return sub, main


def run_dsl(api_config, clients, run):
    """Registers the definitions, runs the SIMPLE tasks with a TaskHandler of their own, starts one
    workflow, waits for it and checks it."""
    names = {"word": f"sdk_py_dsl_word_{run}", "double": f"sdk_py_dsl_double_{run}",
             "sub": f"sdk_py_dsl_sub_{run}", "main": f"sdk_py_dsl_{run}"}
    metadata = clients.get_metadata_client()
    executor = clients.get_workflow_executor()
    for name in (names["word"], names["double"]):
        metadata.register_task_def(TaskDef(
            name=name, description="conductor-python DSL check", retry_count=1, retry_logic="FIXED",
            retry_delay_seconds=1, timeout_seconds=60, timeout_policy="TIME_OUT_WF",
            response_timeout_seconds=20, owner_email="sdk-check@example.com"))
    sub, main = build(executor, names)
    sub.register(True)
    main.register(True)

    handler = TaskHandler(
        workers=[Worker(task_definition_name=names["word"], execute_function=dsl_word, poll_interval=100),
                 Worker(task_definition_name=names["double"], execute_function=dsl_double, poll_interval=100)],
        configuration=api_config, scan_for_annotated_workers=False)
    handler.start_processes()
    try:
        wf_id = executor.start_workflow(StartWorkflowRequest(
            name=names["main"], version=1, input={"a": A, "b": B, "name": NAME, "loops": LOOPS}))
        deadline = time.monotonic() + 60
        while True:
            status = executor.get_workflow_status(wf_id, include_output=False, include_variables=False)
            if status.status in TERMINAL:
                break
            expect(time.monotonic() < deadline, f"DSL workflow {wf_id} still {status.status} after 60 s")
            time.sleep(0.1)
        check(executor, wf_id)
    finally:
        handler.stop_processes()


def base_ref(ref):
    """loop_double_ref__2 is iteration 2 of loop_double_ref; forked_<uuid> and join_forked_<uuid> are the
    builder's names for the fork and its join."""
    if ref.startswith("forked_"):
        return "forked_*"
    if ref.startswith("join_forked_"):
        return "join_forked_*"
    head, sep, tail = ref.rpartition("__")
    return head if sep and tail.isdigit() else ref


def check(executor, wf_id):
    wf = executor.get_workflow(wf_id, include_tasks=True)
    rows = " ".join(f"{t.reference_task_name}({t.task_type} {t.status})" for t in wf.tasks or [])
    expect(wf.status == "COMPLETED",
           f"DSL workflow {wf_id}: status {wf.status}, want COMPLETED (reason {wf.reason_for_incompletion}); tasks {rows}")
    expect(wf.output == want_output(), f"DSL workflow {wf_id}: output {wf.output}, want {want_output()}; tasks {rows}")
    count, sub_id, join = {}, None, None
    for t in wf.tasks:
        expect(t.status == "COMPLETED", f"DSL workflow {wf_id}: task {t.reference_task_name} is {t.status}, want COMPLETED")
        ref = base_ref(t.reference_task_name)
        count[ref] = count.get(ref, 0) + 1
        if ref == "sub_ref":
            sub_id = t.sub_workflow_id
        if ref == "join_forked_*":
            join = t
    want = {"inline_ref": 1, "switch_ref": 1, "odd_ref": 1, "size_ref": 1, "big_ref": 1, "forked_*": 1, "word_ref": 1,
            "sub_ref": 1, "join_forked_*": 1, "loop_ref": 1, "loop_double_ref": LOOPS, "times_ref": 1,
            "times_word_ref": LOOPS, "jq_ref": 1}
    expect(count == want, f"DSL workflow {wf_id}: tasks by reference {count}, want {want}")
    expect((join.input_data or {}).get("joinOn") == ["word_ref", "sub_ref"],
           f"DSL workflow {wf_id}: the builder's join joins on {join.input_data}, want word_ref and sub_ref")
    sub = executor.get_workflow(sub_id, include_tasks=False)
    expect(sub.status == "COMPLETED" and sub.parent_workflow_id == wf_id and sub.output == {"doubled": 2 * (A + B)},
           f"sub-workflow {sub_id}: status {sub.status}, parent {sub.parent_workflow_id}, output {sub.output}; "
           f"want COMPLETED, {wf_id}, doubled {2 * (A + B)}")
