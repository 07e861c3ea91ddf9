import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { threadTasks, type ThreadTaskInput, type ThreadTaskName, type ThreadTaskOutput } from "./thread-tasks";

/**
 * The drafter's CPU work (drafting, checking drafts) runs on worker threads, so a large run does
 * not hold up the server's event loop: every page and API call stays answerable while it drafts.
 * Threads start on first use and stay for the next task, unreferenced while idle so they never
 * keep a script or a test process alive. A thread that dies fails its task with the reason, and
 * the next task starts a fresh one. The work is the same code as in-thread, so the answers are too.
 * A small task runs in the calling thread: a thread's start-up (loading the NLP library) costs
 * seconds once, more than reading a few hundred words does.
 */
export type ThreadReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; message: string };
export type ThreadRequest = { id: number; task: ThreadTaskName; input: unknown };

type Pending = { resolve: (output: unknown) => void; reject: (error: Error) => void };
type DraftingThread = { worker: Worker; pending: Map<number, Pending> };

// One core stays with the server; the drafter gets the rest, at most a few.
const MAX_THREADS = Math.max(1, Math.min(4, availableParallelism() - 1));

const threads: DraftingThread[] = [];
const queue: { request: ThreadRequest; pending: Pending }[] = [];
let nextId = 1;

// About 1,000 words of input: tens of milliseconds of work.
const SMALL_TASK_CHARACTERS = 6_000;

/** Runs a task on a drafting thread, or here when the text it reads (`size`, in characters) is small. */
export async function runDraftingTask<Name extends ThreadTaskName>(task: Name, input: ThreadTaskInput<Name>, size: number): Promise<ThreadTaskOutput<Name>> {
  if (size <= SMALL_TASK_CHARACTERS) return threadTasks[task](input as never) as ThreadTaskOutput<Name>;
  return runOnDraftingThread(task, input);
}

/** Runs one task on a drafting thread and resolves with its output, or rejects with its error's message. */
export function runOnDraftingThread<Name extends ThreadTaskName>(task: Name, input: ThreadTaskInput<Name>): Promise<ThreadTaskOutput<Name>> {
  return new Promise((resolve, reject) => {
    queue.push({ request: { id: nextId++, task, input }, pending: { resolve: (output) => resolve(output as ThreadTaskOutput<Name>), reject } });
    dispatch();
  });
}

function dispatch(): void {
  while (queue.length > 0) {
    const thread = threads.find((candidate) => candidate.pending.size === 0) ?? (threads.length < MAX_THREADS ? startThread() : undefined);
    if (!thread) return;
    const { request, pending } = queue.shift()!;
    thread.pending.set(request.id, pending);
    thread.worker.ref();
    thread.worker.postMessage(request);
  }
}

function startThread(): DraftingThread {
  // Bundled by `next build`, the entry is compiled JavaScript (the call is written inline so the bundler finds it). Run from
  // source (vitest, tsx scripts), a thread does not inherit the TypeScript loader on Node 20: it registers tsx, then loads the entry.
  const worker = import.meta.url.endsWith(".ts")
    ? new Worker(`import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url.replace(/threads\.ts$/, "drafting-thread.ts"))}); });`, { eval: true })
    : new Worker(new URL("./drafting-thread.ts", import.meta.url));
  const thread: DraftingThread = { worker, pending: new Map() };
  threads.push(thread);
  worker.unref();
  worker.on("message", (reply: ThreadReply) => {
    const pending = thread.pending.get(reply.id);
    if (!pending) return;
    thread.pending.delete(reply.id);
    if (thread.pending.size === 0) worker.unref();
    if (reply.ok) pending.resolve(reply.output);
    else pending.reject(new Error(reply.message));
    dispatch();
  });
  const fail = (reason: string) => {
    if (!threads.includes(thread)) return;
    threads.splice(threads.indexOf(thread), 1);
    for (const pending of thread.pending.values()) pending.reject(new Error(`The drafting thread stopped: ${reason}`));
    thread.pending.clear();
    dispatch();
  };
  worker.on("error", (error) => fail(error.message));
  worker.on("exit", (code) => fail(`it exited with code ${code}`));
  return thread;
}
