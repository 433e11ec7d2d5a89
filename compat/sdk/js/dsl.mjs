// The DSL check: a workflow built with the SDK's own builders out of the system tasks — INLINE,
// SWITCH, FORK_JOIN + JOIN, SUB_WORKFLOW, DO_WHILE, JSON_JQ_TRANSFORM — around SIMPLE tasks run by the
// SDK's TaskHandler. The Go and Python checks build the same shape (../README.md).
//
// With input {a: 2, b: 5, name: "node", loops: 3}:
//   - inline_ref (inlineTask, javascript) answers {sum: 7, parity: "odd"};
//   - switch_ref (switchTask, value-param) on the parity runs odd_ref (word "ODD"), not even_ref or
//     other_ref;
//   - ConductorWorkflow.fork runs word_ref (word "NODE") beside sub_ref, a subWorkflowTask whose one
//     task doubles the sum (14); the builder adds the JOIN __join_1 on both branches' last tasks;
//   - loop_ref (doWhileTask) repeats loop_double_ref while $.loop_ref['iteration'] < $.loops:
//     3 iterations, the body doubling the iteration it reads from ${loop_ref.output.iteration};
//   - times_ref is newLoopTask(3): 3 iterations of times_word_ref;
//   - forkTaskJoin puts its tasks in one branch and adds a JOIN with an empty joinOn, which waits for
//     nothing (Join.execute: no task to wait for): the workflow still completes only once the branch
//     has (DeciderService.checkForWorkflowCompletion), so only its rows are checked;
//   - jq_ref (jsonJqTask) joins the words and adds the doubled sum to the loop's count.
import {
  ConductorWorkflow,
  TaskHandler,
  doWhileTask,
  forkTaskJoin,
  inlineTask,
  jsonJqTask,
  newLoopTask,
  simpleTask,
  subWorkflowTask,
  switchTask,
  taskDefinition,
} from "@io-orkes/conductor-javascript";

const A = 2, B = 5, LOOPS = 3, NAME = "node";
const TERMINAL = new Set(["COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"]);
const json = (v) => JSON.stringify(v);
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
const same = (a, b) => json(sortKeys(a)) === json(sortKeys(b));
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// wantOutput is the workflow output, computed from the input above.
function wantOutput() {
  const sum = A + B, word = NAME.toUpperCase();
  return {
    sum, parity: "odd", chosen: "ODD", word, doubled: 2 * sum, iterations: LOOPS, lastLoop: 2 * LOOPS, times: LOOPS,
    jq: { words: `ODD-${word}`, total: 2 * sum + LOOPS, all: ["ODD", word] },
  };
}

// withInput sets input parameters on a task a builder returned (some builders take none).
const withInput = (task, params) => ({ ...task, inputParameters: { ...task.inputParameters, ...params } });

function buildWorkflows(executor, n) {
  const sub = new ConductorWorkflow(executor, n.sub)
    .description("conductor-javascript DSL check: doubles n")
    .ownerEmail("sdk-check@example.com")
    .add(simpleTask("double_ref", n.double, { n: "${workflow.input.n}" }))
    .outputParameters({ doubled: "${double_ref.output.doubled}" });

  const word = (ref, text) => simpleTask(ref, n.word, { text });
  const main = new ConductorWorkflow(executor, n.main)
    .description("conductor-javascript DSL check: the system tasks around SIMPLE tasks")
    .ownerEmail("sdk-check@example.com")
    .timeoutPolicy("TIME_OUT_WF")
    .timeoutSeconds(120)
    .add(withInput(inlineTask("inline_ref",
      `(function () { var s = $.a + $.b; return {sum: s, parity: s % 2 == 0 ? "even" : "odd"}; })();`),
    { a: "${workflow.input.a}", b: "${workflow.input.b}" }))
    .add(switchTask("switch_ref", "${inline_ref.output.result.parity}",
      { even: [word("even_ref", "even")], odd: [word("odd_ref", "odd")] }, [word("other_ref", "other")]))
    .fork([
      [word("word_ref", "${workflow.input.name}")],
      [withInput(subWorkflowTask("sub_ref", n.sub, 1), { n: "${inline_ref.output.result.sum}" })],
    ])
    .add(withInput(doWhileTask("loop_ref", "if ($.loop_ref['iteration'] < $.loops) { true; } else { false; }",
      [simpleTask("loop_double_ref", n.double, { n: "${loop_ref.output.iteration}" })]), { loops: "${workflow.input.loops}" }))
    .add(newLoopTask("times_ref", LOOPS, [word("times_word_ref", "again")]))
    .add(forkTaskJoin("solo_ref", [word("solo_word_ref", "solo")]))
    .add(withInput(jsonJqTask("jq_ref", `{words: (.words | join("-")), total: (.doubled + .iterations), all: .words}`), {
      words: ["${odd_ref.output.word}", "${word_ref.output.word}"],
      doubled: "${sub_ref.output.doubled}",
      iterations: "${loop_ref.output.iteration}",
    }))
    .outputParameters({
      sum: "${inline_ref.output.result.sum}",
      parity: "${inline_ref.output.result.parity}",
      chosen: "${odd_ref.output.word}",
      word: "${word_ref.output.word}",
      doubled: "${sub_ref.output.doubled}",
      iterations: "${loop_ref.output.iteration}",
      lastLoop: "${loop_double_ref.output.doubled}",
      times: "${times_ref.output.iteration}",
      jq: "${jq_ref.output.result}",
    });
  return { sub, main };
}

// runDSL registers the task and workflow definitions, runs the SIMPLE tasks with a TaskHandler of
// their own, starts one workflow, waits for it and checks it.
export async function runDSL(clients, logger, run) {
  const n = { word: `sdk_js_dsl_word_${run}`, double: `sdk_js_dsl_double_${run}`, sub: `sdk_js_dsl_sub_${run}`, main: `sdk_js_dsl_${run}` };
  const executor = clients.getWorkflowClient();
  const defaults = { retryCount: 1, retryDelaySeconds: 1, timeoutSeconds: 60, responseTimeoutSeconds: 20,
    ownerEmail: "sdk-check@example.com", description: "conductor-javascript DSL check" };
  await clients.getMetadataClient().registerTasks([
    taskDefinition({ name: n.word, ...defaults }),
    taskDefinition({ name: n.double, ...defaults }),
  ]);
  const { sub, main } = buildWorkflows(executor, n);
  await sub.register(true);
  await main.register(true);

  const handler = new TaskHandler({
    client: clients.getClient(), scanForDecorated: false, logger, workers: [
      { taskDefName: n.word, pollInterval: 100, concurrency: 2, execute: async (task) => {
        const text = task.inputData?.text;
        if (typeof text !== "string") throw new Error(`input text is ${json(text)}, want a string`);
        return { status: "COMPLETED", outputData: { word: text.toUpperCase() } };
      } },
      { taskDefName: n.double, pollInterval: 100, concurrency: 2, execute: async (task) => {
        const x = task.inputData?.n;
        if (typeof x !== "number") throw new Error(`input n is ${json(x)}, want a number`);
        return { status: "COMPLETED", outputData: { doubled: 2 * x } };
      } },
    ],
  });
  await handler.startWorkers();
  try {
    const id = await executor.startWorkflow({ name: n.main, version: 1, input: { a: A, b: B, name: NAME, loops: LOOPS } });
    expect(typeof id === "string" && id.length > 0, `startWorkflow(${n.main}) answered ${json(id)}`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      const s = await executor.getWorkflowStatus(id, false, false);
      if (TERMINAL.has(s?.status)) break;
      expect(Date.now() < deadline, `DSL workflow ${id} still ${s?.status} after 60 s`);
      await sleep(100);
    }
    await checkDSL(executor, id);
  } finally {
    await handler.stopWorkers();
  }
}

async function checkDSL(executor, id) {
  const wf = await executor.getExecution(id);
  const rows = (wf.tasks ?? []).map((t) => `${t.referenceTaskName}(${t.taskType} ${t.status})`).join(" ");
  expect(wf.status === "COMPLETED", `DSL workflow ${id}: status ${wf.status}, want COMPLETED (reason ${wf.reasonForIncompletion}); tasks ${rows}`);
  expect(same(wf.output, wantOutput()), `DSL workflow ${id}: output ${json(sortKeys(wf.output))}, want ${json(sortKeys(wantOutput()))}; tasks ${rows}`);
  const count = {};
  let subId;
  for (const t of wf.tasks) {
    expect(t.status === "COMPLETED", `DSL workflow ${id}: task ${t.referenceTaskName} is ${t.status}, want COMPLETED`);
    const ref = t.referenceTaskName.replace(/__\d+$/, ""); // loop_double_ref__2 is iteration 2 of loop_double_ref
    count[ref] = (count[ref] ?? 0) + 1;
    if (t.referenceTaskName === "sub_ref") subId = t.subWorkflowId;
  }
  const want = { inline_ref: 1, switch_ref: 1, odd_ref: 1, __fork_1: 1, word_ref: 1, sub_ref: 1, __join_1: 1, loop_ref: 1,
    loop_double_ref: LOOPS, times_ref: 1, times_word_ref: LOOPS, solo_ref: 1, solo_word_ref: 1, solo_ref_join_ref: 1, jq_ref: 1 };
  expect(same(count, want), `DSL workflow ${id}: tasks by reference ${json(sortKeys(count))}, want ${json(sortKeys(want))}`);
  const join = wf.tasks.find((t) => t.referenceTaskName === "__join_1");
  expect(same(join.inputData?.joinOn, ["word_ref", "sub_ref"]), `DSL workflow ${id}: __join_1 joins on ${json(join.inputData?.joinOn)}, want word_ref and sub_ref`);
  const subWf = await executor.getExecution(subId);
  expect(subWf?.status === "COMPLETED" && subWf.parentWorkflowId === id && same(subWf.output, { doubled: 2 * (A + B) }),
    `sub-workflow ${subId}: status ${subWf?.status}, parent ${subWf?.parentWorkflowId}, output ${json(subWf?.output)}; want COMPLETED, ${id}, doubled ${2 * (A + B)}`);
}
