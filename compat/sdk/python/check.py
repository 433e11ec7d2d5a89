"""Runs the official Conductor Python SDK, conductor-python 2.0.0, unchanged, against the
Conductor-compatible server at $CONDUCTOR_SERVER_URL (e.g. http://127.0.0.1:8080/api).

It follows the SDK's hello-world quickstart (examples/helloworld/helloworld.py) with the SDK's own API
only: task definitions through the MetadataClient, a two-task workflow through the ConductorWorkflow
builder and register(), one worker declared with @worker_task and one as a Worker object, both run by
TaskHandler.start_processes(), the quickstart's synchronous WorkflowExecutor.execute() (POST
/workflow/execute), the builder's own execute() (which sends the definition inline), then several more
started with the WorkflowExecutor and the builder, waited for, and read back.

Any failure prints "sdkcheck python: FAIL: ..." and exits 1; success prints "sdkcheck python: PASS ...".
"""
import multiprocessing
import os
import re
import sys
import threading
import time
import traceback

from conductor.client.automator.task_handler import TaskHandler
from conductor.client.configuration.configuration import Configuration
from conductor.client.configuration.settings.authentication_settings import AuthenticationSettings
from conductor.client.context.task_context import get_task_context
from conductor.client.http.models.start_workflow_request import StartWorkflowRequest
from conductor.client.http.models.task_def import TaskDef
from conductor.client.orkes_clients import OrkesClients
from conductor.client.worker.worker import Worker
from conductor.client.worker.worker_task import worker_task
from conductor.client.workflow.conductor_workflow import ConductorWorkflow
from conductor.client.workflow.task.simple_task import SimpleTask

from dsl import DSLFailed, run_dsl

TIMEOUT_S = int(os.environ.get("SDK_CHECK_TIMEOUT") or 120)
WORKFLOWS = int(os.environ.get("SDK_CHECK_WORKFLOWS") or 5)
RUN = os.environ.get("SDK_CHECK_RUN_ID") or format(time.time_ns(), "x")
GREET = f"sdk_py_greet_{RUN}"
SHOUT = f"sdk_py_shout_{RUN}"
WORKFLOW = f"sdk_py_greetings_{RUN}"
TERMINAL = {"COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"}


class CheckFailed(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise CheckFailed(msg)


def hello(name):
    return f"Hello, {name}"


def want_output(name):
    return {"greetings": hello(name), "loud": hello(name).upper() + "!", "length": len(hello(name))}


def correlation(i):
    return f"sdk-py-{RUN}-{i}"


# The quickstart's worker shape: a decorated function whose parameters are the task's inputs and whose
# plain return value becomes {"result": ...}.
@worker_task(task_definition_name=GREET, poll_interval_millis=100, thread_count=2)
def greet(name: str) -> str:
    return hello(name)


# A Worker object; its log line goes through the SDK's TaskContext.
def shout(text: str) -> dict:
    if not isinstance(text, str):
        raise ValueError(f"input text is {text!r}, want a string")
    get_task_context().add_log(f"shouted {len(text)} characters")
    return {"loud": text.upper() + "!", "length": len(text)}


# The SDK's usual key settings: AuthenticationSettings(key_id, key_secret) in its Configuration (which
# otherwise reads CONDUCTOR_AUTH_KEY and CONDUCTOR_AUTH_SECRET). With a key, the SDK fetches a token at
# POST /api/token and sends it in X-Authorization; on a 401 or 403 whose error is EXPIRED_TOKEN or
# INVALID_TOKEN it fetches another and retries once.
KEY_ID = os.environ.get("SDK_CHECK_KEY_ID")
KEY_SECRET = os.environ.get("SDK_CHECK_KEY_SECRET")


def configuration():
    if KEY_ID or KEY_SECRET:
        return Configuration(authentication_settings=AuthenticationSettings(key_id=KEY_ID, key_secret=KEY_SECRET))
    return Configuration()  # reads CONDUCTOR_SERVER_URL (and CONDUCTOR_AUTH_KEY/SECRET when set)


def auth_mode():
    if KEY_ID:
        return "with an application key (AuthenticationSettings)"
    if os.environ.get("CONDUCTOR_AUTH_KEY"):
        return "with an application key (CONDUCTOR_AUTH_KEY)"
    return "without authentication"


def check_refused():
    """SDK_CHECK_EXPECT=refused: the key secret is wrong, so the first call must fail with the server's 401."""
    from conductor.client.http.rest import AuthorizationException
    clients = OrkesClients(configuration=configuration())
    try:
        clients.get_metadata_client().get_all_task_defs()
    except AuthorizationException as e:
        expect(e.status == 401, f"get_all_task_defs with a wrong key secret: status {e.status}, want 401 ({e})")
        return f"401 {e.error_code or 'without a token code'}"
    raise CheckFailed("get_all_task_defs with a wrong key secret succeeded, want a 401")


def main():
    started = time.monotonic()
    if os.environ.get("SDK_CHECK_EXPECT") == "refused":
        what = check_refused()
        print(f"sdkcheck python: PASS conductor-python 2.0.0 against {os.environ['CONDUCTOR_SERVER_URL']}: "
              f"a wrong key secret is refused ({what}) ({time.monotonic() - started:.1f} s)", flush=True)
        return
    api_config = configuration()
    clients = OrkesClients(configuration=api_config)
    metadata = clients.get_metadata_client()
    executor = clients.get_workflow_executor()
    tasks = clients.get_task_client()

    for name, what in ((GREET, "greets"), (SHOUT, "shouts")):
        metadata.register_task_def(TaskDef(
            name=name, description=f"conductor-python check: {what}", retry_count=1, retry_logic="FIXED",
            retry_delay_seconds=1, timeout_seconds=60, timeout_policy="TIME_OUT_WF",
            response_timeout_seconds=20, owner_email="sdk-check@example.com"))
        got = metadata.get_task_def(name)
        expect(got.name == name and got.retry_count == 1 and got.response_timeout_seconds == 20,
               f"MetadataClient.get_task_def({name}) read back {got}")

    workflow = ConductorWorkflow(name=WORKFLOW, executor=executor)
    workflow.version = 1
    workflow.description = "conductor-python check: greets, then shouts the greeting"
    workflow.owner_email("sdk-check@example.com")
    workflow >> greet(task_ref_name="greet_ref", name=workflow.input("name"))
    shout_task = SimpleTask(task_def_name=SHOUT, task_reference_name="shout_ref")
    shout_task.input_parameters.update({"text": "${greet_ref.output.result}"})
    workflow >> shout_task
    workflow.output_parameters({"greetings": "${greet_ref.output.result}", "loud": "${shout_ref.output.loud}",
                                "length": "${shout_ref.output.length}"})
    workflow.register(True)
    wf_def = metadata.get_workflow_def(WORKFLOW, 1)
    expect(wf_def.name == WORKFLOW and len(wf_def.tasks) == 2
           and wf_def.tasks[1].input_parameters.get("text") == "${greet_ref.output.result}",
           f"MetadataClient.get_workflow_def({WORKFLOW}, 1) read back {wf_def}")

    task_handler = TaskHandler(
        workers=[Worker(task_definition_name=SHOUT, execute_function=shout, poll_interval=100, thread_count=2)],
        configuration=api_config, scan_for_annotated_workers=True)
    task_handler.start_processes()
    try:
        # 1. The quickstart's synchronous execute, by name and version.
        run = executor.execute(name=WORKFLOW, version=1, workflow_input={"name": "World"})
        check_run("WorkflowExecutor.execute", run, "World")
        execution = check_execution(executor, run.workflow_id, "World", None)
        shout_row = next(t for t in execution.tasks if t.reference_task_name == "shout_ref")
        logs = tasks.get_task_logs(shout_row.task_id)
        expect(len(logs) == 1 and re.fullmatch(r"shouted \d+ characters", logs[0].log or ""),
               f"TaskClient.get_task_logs({shout_row.task_id}): got {logs}, want one line 'shouted N characters'")

        # 2. The builder's own execute, which sends the definition inline.
        run = workflow.execute(workflow_input={"name": "Inline"})
        check_run("ConductorWorkflow.execute", run, "Inline")
        check_execution(executor, run.workflow_id, "Inline", None)

        # 3. Several more: one with the builder (inline definition), the rest with the WorkflowExecutor.
        ids = [workflow.start_workflow_with_input({"name": "Worker 0"}, correlation_id=correlation(0))]
        for i in range(1, WORKFLOWS):
            ids.append(executor.start_workflow(StartWorkflowRequest(
                name=WORKFLOW, version=1, input={"name": f"Worker {i}"}, correlation_id=correlation(i))))
        for i, wf_id in enumerate(ids):
            expect(isinstance(wf_id, str) and wf_id, f"start {i} answered {wf_id!r}, want a workflow id")
        wait_all(executor, ids)
        for i, wf_id in enumerate(ids):
            check_execution(executor, wf_id, f"Worker {i}", correlation(i))

        # 4. Read them back by correlation id (POST /workflow/{name}/correlated).
        by_corr = executor.get_by_correlation_ids(WORKFLOW, [correlation(i) for i in range(WORKFLOWS)],
                                                  include_closed=True, include_tasks=False)
        for i, wf_id in enumerate(ids):
            got = by_corr.get(correlation(i)) or []
            expect(len(got) == 1 and got[0].workflow_id == wf_id and got[0].status == "COMPLETED",
                   f"get_by_correlation_ids {correlation(i)}: want exactly {wf_id} COMPLETED, "
                   f"got {[(w.workflow_id, w.status) for w in got]}")
    finally:
        task_handler.stop_processes()

    # 5. The DSL check: system tasks built with conductor.client.workflow (dsl.py).
    run_dsl(api_config, clients, RUN)
    print(f"sdkcheck python: PASS conductor-python 2.0.0 against {api_config.host} {auth_mode()}: "
          f"2 executed + {WORKFLOWS} started workflows and the DSL workflow completed ({time.monotonic() - started:.1f} s)", flush=True)


def check_run(what, run, name):
    expect(run is not None and run.workflow_id, f"{what}: answer has no workflow id: {run}")
    expect(run.status == "COMPLETED", f"{what} {run.workflow_id}: status {run.status}, want COMPLETED ({run})")
    expect(run.output == want_output(name), f"{what} {run.workflow_id}: output {run.output}, want {want_output(name)}")
    expect(len(run.tasks or []) == 2, f"{what} {run.workflow_id}: {len(run.tasks or [])} tasks in the answer, want 2")


def wait_all(executor, ids):
    """Polls each workflow's status (GET /workflow/{id}/status) until it is terminal, for up to 30 s."""
    deadline = time.monotonic() + 30
    for wf_id in ids:
        while True:
            status = executor.get_workflow_status(wf_id, include_output=False, include_variables=False)
            if status.status in TERMINAL:
                break
            expect(time.monotonic() < deadline, f"workflow {wf_id} still {status.status} after 30 s")
            time.sleep(0.1)


def check_execution(executor, wf_id, name, correlation_id):
    """Reads one execution back (GET /workflow/{id}?includeTasks=true and GET /workflow/{id}/status)."""
    wf = executor.get_workflow(wf_id, include_tasks=True)
    where = f"get_workflow({wf_id})"
    expect(wf.workflow_id == wf_id, f"{where} answered workflow {wf.workflow_id}")
    expect(wf.status == "COMPLETED", f"{where}: status {wf.status}, want COMPLETED (reason {wf.reason_for_incompletion})")
    expect(wf.output == want_output(name), f"{where}: output {wf.output}, want {want_output(name)}")
    expect((wf.input or {}).get("name") == name, f"{where}: input {wf.input}, want name {name!r}")
    expect(wf.correlation_id == correlation_id, f"{where}: correlationId {wf.correlation_id!r}, want {correlation_id!r}")
    want = [
        ("greet_ref", GREET, {"name": name}, {"result": hello(name)}),
        ("shout_ref", SHOUT, {"text": hello(name)}, {"loud": hello(name).upper() + "!", "length": len(hello(name))}),
    ]
    rows = wf.tasks or []
    expect(len(rows) == len(want), f"{where}: {len(rows)} tasks, want {len(want)}: {[t.reference_task_name for t in rows]}")
    for t, (ref, typ, inp, out) in zip(rows, want):
        expect(t.reference_task_name == ref and t.task_type == typ and t.status == "COMPLETED",
               f"{where}: task {t.reference_task_name} {t.task_type} {t.status}, want {ref} {typ} COMPLETED")
        for k, v in inp.items():
            expect((t.input_data or {}).get(k) == v, f"{where}: task {ref} input {t.input_data}, want {k}={v!r}")
        expect(t.output_data == out, f"{where}: task {ref} output {t.output_data}, want {out}")
    status = executor.get_workflow_status(wf_id, include_output=True, include_variables=False)
    expect(status.status == "COMPLETED" and status.workflow_id == wf_id and status.output == want_output(name),
           f"get_workflow_status({wf_id}): got {status}, want COMPLETED with output {want_output(name)}")
    return wf


def fail(msg):
    print(f"sdkcheck python: FAIL: {msg}", file=sys.stderr, flush=True)
    # TaskHandler's worker processes and the SDK's threads must not keep a failed check alive.
    for child in multiprocessing.active_children():
        child.kill()
    os._exit(1)


if __name__ == "__main__":
    if not os.environ.get("CONDUCTOR_SERVER_URL"):
        fail("CONDUCTOR_SERVER_URL is not set: point it at the server's API, e.g. http://127.0.0.1:8080/api")
    # A hung call must not hang CI: the whole check is bounded.
    timer = threading.Timer(TIMEOUT_S, fail, args=[f"did not finish within {TIMEOUT_S} s (SDK_CHECK_TIMEOUT)"])
    timer.daemon = True
    timer.start()
    try:
        main()
    except (CheckFailed, DSLFailed) as e:
        fail(str(e))
    except Exception:  # an SDK exception: show where it came from
        fail(traceback.format_exc())
    timer.cancel()
