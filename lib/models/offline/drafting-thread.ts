import { setPriority } from "node:os";
import { parentPort } from "node:worker_threads";
import { threadTasks } from "./thread-tasks";
import type { ThreadReply, ThreadRequest } from "./threads";

// Drafting is background work: at the lowest priority it yields the cores to the server's requests
// whenever both want them, so pages stay fast while a large run drafts. On Linux a nice value
// belongs to the calling thread alone; elsewhere it would slow the whole server, so it is left there.
if (process.platform === "linux") setPriority(19);

/** The entry of a drafting thread (started by threads.ts): runs each task it is sent and answers with its output or error. */
const port = parentPort;
if (!port) throw new Error("drafting-thread.ts runs as a worker thread, started by lib/models/offline/threads.ts");

port.on("message", ({ id, task, input }: ThreadRequest) => {
  let reply: ThreadReply;
  try {
    reply = { id, ok: true, output: threadTasks[task](input as never) };
  } catch (error) {
    reply = { id, ok: false, message: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
