// Runs the official Conductor JavaScript SDK, @io-orkes/conductor-javascript 4.0.0, unchanged, against
// the Conductor-compatible server at $CONDUCTOR_SERVER_URL (with or without the /api suffix: the SDK
// strips it).
//
// It follows the SDK's README quickstart with the SDK's own API only: task definitions through the
// MetadataClient and the taskDefinition builder, a two-task workflow through the ConductorWorkflow
// builder and register(), one worker declared with worker() and run by TaskHandler (the quickstart's
// way), the other run by the legacy TaskManager, one synchronous workflow.execute() (POST
// /workflow/execute), then several more started with the WorkflowExecutor, waited for, and read back.
// Any failure prints "sdkcheck js: FAIL: ..." and exits 1; success prints "sdkcheck js: PASS ...".
//
// Plain JavaScript, so no TypeScript toolchain is needed: worker(options)(fn) is exactly what the
// quickstart's @worker decorator on a function compiles to.
import {
  ConductorWorkflow,
  DefaultLogger,
  OrkesClients,
  TaskHandler,
  TaskManager,
  getTaskContext,
  simpleTask,
  taskDefinition,
  worker,
} from "@io-orkes/conductor-javascript";
import { runDSL } from "./dsl.mjs";

const TIMEOUT_S = Number(process.env.SDK_CHECK_TIMEOUT) || 120;
const WORKFLOWS = Number(process.env.SDK_CHECK_WORKFLOWS) || 5;
const RUN = process.env.SDK_CHECK_RUN_ID || Date.now().toString(36);
const GREET = `sdk_js_greet_${RUN}`;
const SHOUT = `sdk_js_shout_${RUN}`;
const WORKFLOW = `sdk_js_greetings_${RUN}`;
const TERMINAL = new Set(["COMPLETED", "FAILED", "TIMED_OUT", "TERMINATED"]);

const started = Date.now();
const fail = (msg) => {
  console.error(`sdkcheck js: FAIL: ${msg}`);
  process.exit(1);
};
// A hung call must not hang CI: the whole check is bounded.
setTimeout(() => fail(`did not finish within ${TIMEOUT_S} s (SDK_CHECK_TIMEOUT)`), TIMEOUT_S * 1000);
process.on("unhandledRejection", (e) => fail(`unhandled rejection: ${e?.stack ?? e}`));

const json = (v) => JSON.stringify(v);
const same = (a, b) => json(sortKeys(a)) === json(sortKeys(b));
function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys(v[k])]));
  return v;
}
function expect(cond, msg) {
  if (!cond) throw new Error(msg);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const hello = (name) => `Hello ${name}`;
const wantOutput = (name) => ({ greetings: hello(name), loud: hello(name).toUpperCase() + "!", length: hello(name).length });

// The quickstart's worker, as worker() registers it for TaskHandler's scan.
worker({ taskDefName: GREET, pollInterval: 100, concurrency: 2 })(async function greet(task) {
  return { status: "COMPLETED", outputData: { result: hello(task.inputData.name) } };
});

// A legacy TaskManager worker; its log line goes through the SDK's TaskContext.
const shoutWorker = {
  taskDefName: SHOUT,
  execute: async (task) => {
    const text = task.inputData.text;
    if (typeof text !== "string") throw new Error(`input text is ${json(text)}, want a string`);
    getTaskContext()?.addLog(`shouted ${text.length} characters`);
    return { status: "COMPLETED", outputData: { loud: text.toUpperCase() + "!", length: text.length } };
  },
};

// The SDK's usual key settings: keyId and keySecret in its config (CONDUCTOR_AUTH_KEY and
// CONDUCTOR_AUTH_SECRET, which it also reads, take precedence). With a key, the SDK fetches a token at
// POST /api/token and sends it in X-Authorization; on a 401 whose error is EXPIRED_TOKEN or
// INVALID_TOKEN it fetches another and retries once.
const KEY_ID = process.env.SDK_CHECK_KEY_ID;
const KEY_SECRET = process.env.SDK_CHECK_KEY_SECRET;
const keyConfig = KEY_ID || KEY_SECRET ? { keyId: KEY_ID, keySecret: KEY_SECRET } : {};
const authMode = KEY_ID ? "with an application key (keyId/keySecret)"
  : process.env.CONDUCTOR_AUTH_KEY ? "with an application key (CONDUCTOR_AUTH_KEY)" : "without authentication";

// SDK_CHECK_EXPECT=refused: the key secret is wrong, so creating the clients must fail with the server's
// 401. The SDK retries its first token request 8 times with backoff (about two minutes); its timers are
// run at once here so that the check stays short. Nothing else changes.
async function checkRefused(logger) {
  const backoffs = new Set([1000, 2000, 4000, 8000, 16000, 32000, 60000]); // min(2^(n-1) s, 60 s)
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = (fn, ms, ...args) => realSetTimeout(fn, backoffs.has(ms) ? 0 : ms, ...args);
  try {
    await OrkesClients.from({ logger, ...keyConfig });
  } catch (e) {
    const msg = String(e?.message ?? e);
    expect(/HTTP 401/.test(msg), `OrkesClients.from with a wrong key secret failed with ${json(msg)}, want the server's 401`);
    return msg;
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
  throw new Error("OrkesClients.from with a wrong key secret succeeded, want a 401");
}

async function main() {
  const logger = new DefaultLogger({ level: process.env.CONDUCTOR_LOG_LEVEL || "ERROR" });
  if (process.env.SDK_CHECK_EXPECT === "refused") {
    const msg = await checkRefused(logger);
    console.log(`sdkcheck js: PASS @io-orkes/conductor-javascript 4.0.0 against ${process.env.CONDUCTOR_SERVER_URL}: ` +
      `a wrong key secret is refused (${msg}) (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    process.exit(0);
  }
  const clients = await OrkesClients.from({ logger, ...keyConfig });
  const executor = clients.getWorkflowClient();
  const metadata = clients.getMetadataClient();
  const tasks = clients.getTaskClient();

  const defaults = { retryCount: 1, retryDelaySeconds: 1, timeoutSeconds: 60, responseTimeoutSeconds: 20,
    pollTimeoutSeconds: 60, ownerEmail: "sdk-check@example.com" };
  await metadata.registerTasks([
    taskDefinition({ name: GREET, description: "conductor-javascript check: greets", ...defaults }),
    taskDefinition({ name: SHOUT, description: "conductor-javascript check: shouts", ...defaults }),
  ]);
  for (const name of [GREET, SHOUT]) {
    const def = await metadata.getTask(name);
    expect(def?.name === name && def.retryCount === 1 && def.responseTimeoutSeconds === 20,
      `MetadataClient.getTask(${name}) read back ${json(def)}`);
  }

  const workflow = new ConductorWorkflow(executor, WORKFLOW)
    .description("conductor-javascript check: greets, then shouts the greeting")
    .ownerEmail("sdk-check@example.com")
    .add(simpleTask("greet_ref", GREET, { name: "${workflow.input.name}" }))
    .add(simpleTask("shout_ref", SHOUT, { text: "${greet_ref.output.result}" }))
    .outputParameters({ greetings: "${greet_ref.output.result}", loud: "${shout_ref.output.loud}", length: "${shout_ref.output.length}" });
  await workflow.register();
  const def = await metadata.getWorkflowDef(WORKFLOW, 1);
  expect(def?.name === WORKFLOW && def.tasks?.length === 2 && def.tasks[1].inputParameters?.text === "${greet_ref.output.result}",
    `MetadataClient.getWorkflowDef(${WORKFLOW}, 1) read back ${json(def)}`);

  const handler = new TaskHandler({ client: clients.getClient(), scanForDecorated: true, logger });
  await handler.startWorkers();
  const manager = new TaskManager(clients.getClient(), [shoutWorker], { logger, options: { pollInterval: 100, concurrency: 2 } });
  manager.startPolling();

  // 1. The quickstart's synchronous execute.
  const run = await workflow.execute({ name: "Conductor" });
  expect(run?.workflowId, `workflow.execute answered no workflowId: ${json(run)}`);
  expect(run.status === "COMPLETED", `workflow.execute: status ${run.status}, want COMPLETED (${json(run)})`);
  expect(same(run.output, wantOutput("Conductor")), `workflow.execute: output ${json(run.output)}, want ${json(wantOutput("Conductor"))}`);
  expect(run.tasks?.length === 2, `workflow.execute: ${run.tasks?.length} tasks in the answer, want 2`);
  const execution = await checkExecution(executor, run.workflowId, "Conductor", undefined);
  const shoutTask = execution.tasks.find((t) => t.referenceTaskName === "shout_ref");
  const logs = await tasks.getTaskLogs(shoutTask.taskId);
  expect(logs?.length === 1 && /^shouted \d+ characters$/.test(logs[0].log),
    `TaskClient.getTaskLogs(${shoutTask.taskId}): got ${json(logs)}, want one line "shouted N characters"`);

  // 2. Several more: one with the builder's startWorkflow, the rest with the WorkflowExecutor.
  const ids = [await workflow.startWorkflow({ name: "Worker 0" }, correlation(0))];
  for (let i = 1; i < WORKFLOWS; i++) {
    ids.push(await executor.startWorkflow({ name: WORKFLOW, version: 1, input: { name: `Worker ${i}` }, correlationId: correlation(i) }));
  }
  for (const [i, id] of ids.entries()) {
    expect(typeof id === "string" && id.length > 0, `startWorkflow ${i} answered ${json(id)}, want a workflow id`);
  }
  await waitAll(executor, ids);
  for (const [i, id] of ids.entries()) await checkExecution(executor, id, `Worker ${i}`, correlation(i));

  // 3. Find them again with the executor's search (GET /workflow/search). The SDK's getByCorrelationIds
  // calls POST /workflow/correlated/batch, which Conductor OSS does not have (an Orkes endpoint).
  const found = await executor.search(0, 100, `workflowType IN (${WORKFLOW}) AND status IN (COMPLETED)`, "*");
  const foundIds = new Set((found?.results ?? []).map((s) => s.workflowId));
  const missing = [run.workflowId, ...ids].filter((id) => !foundIds.has(id));
  expect(found?.totalHits === WORKFLOWS + 1 && missing.length === 0,
    `search(workflowType IN (${WORKFLOW}) AND status IN (COMPLETED)): totalHits ${found?.totalHits}, want ${WORKFLOWS + 1}; missing ${json(missing)}`);

  await handler.stopWorkers();
  await manager.stopPolling();

  // 4. The DSL check: system tasks built with the SDK's builders (dsl.mjs).
  await runDSL(clients, logger, RUN);

  console.log(`sdkcheck js: PASS @io-orkes/conductor-javascript 4.0.0 against ${process.env.CONDUCTOR_SERVER_URL} ${authMode}: ` +
    `1 executed + ${WORKFLOWS} started workflows and the DSL workflow completed (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  process.exit(0);
}

function correlation(i) {
  return `sdk-js-${RUN}-${i}`;
}

// waitAll polls each workflow's status (GET /workflow/{id}/status) until it is terminal, for up to 30 s.
async function waitAll(executor, ids) {
  const deadline = Date.now() + 30_000;
  for (const id of ids) {
    for (;;) {
      const s = await executor.getWorkflowStatus(id, false, false);
      if (TERMINAL.has(s?.status)) break;
      if (Date.now() > deadline) throw new Error(`workflow ${id} still ${s?.status} after 30 s`);
      await sleep(100);
    }
  }
}

// checkExecution reads one execution back (GET /workflow/{id}, GET /workflow/{id}/status) and checks
// status, input, output, correlation id and both task rows.
async function checkExecution(executor, id, name, correlationId) {
  const wf = await executor.getExecution(id);
  const where = `getExecution(${id})`;
  expect(wf?.workflowId === id, `${where} answered workflow ${wf?.workflowId}`);
  expect(wf.status === "COMPLETED", `${where}: status ${wf.status}, want COMPLETED (reason ${wf.reasonForIncompletion})`);
  expect(same(wf.output, wantOutput(name)), `${where}: output ${json(wf.output)}, want ${json(wantOutput(name))}`);
  expect(wf.input?.name === name, `${where}: input ${json(wf.input)}, want name ${name}`);
  expect(wf.correlationId === correlationId, `${where}: correlationId ${wf.correlationId}, want ${correlationId}`);
  const want = [
    { ref: "greet_ref", type: GREET, input: { name }, output: { result: hello(name) } },
    { ref: "shout_ref", type: SHOUT, input: { text: hello(name) }, output: { loud: hello(name).toUpperCase() + "!", length: hello(name).length } },
  ];
  expect(wf.tasks?.length === want.length, `${where}: ${wf.tasks?.length} tasks, want ${want.length}: ${json(wf.tasks?.map((t) => t.referenceTaskName))}`);
  want.forEach((w, i) => {
    const t = wf.tasks[i];
    expect(t.referenceTaskName === w.ref && t.taskType === w.type && t.status === "COMPLETED",
      `${where}: task ${i} is ${t.referenceTaskName} ${t.taskType} ${t.status}, want ${w.ref} ${w.type} COMPLETED`);
    for (const [k, v] of Object.entries(w.input)) {
      expect(t.inputData?.[k] === v, `${where}: task ${w.ref} input ${json(t.inputData)}, want ${k}=${json(v)}`);
    }
    expect(same(t.outputData, w.output), `${where}: task ${w.ref} output ${json(t.outputData)}, want ${json(w.output)}`);
  });
  const status = await executor.getWorkflowStatus(id, true, false);
  expect(status?.status === "COMPLETED" && status.workflowId === id && same(status.output, wantOutput(name)),
    `getWorkflowStatus(${id}): got ${json(status)}, want COMPLETED with output ${json(wantOutput(name))}`);
  return wf;
}

if (!process.env.CONDUCTOR_SERVER_URL) fail("CONDUCTOR_SERVER_URL is not set: point it at the server, e.g. http://127.0.0.1:8080/api");
main().catch((e) => fail(e?.stack ?? String(e)));
