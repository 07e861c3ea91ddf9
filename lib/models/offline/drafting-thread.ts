import { parentPort } from "node:worker_threads";
import { threadTasks } from "./thread-tasks";
import type { ThreadReply, ThreadRequest } from "./threads";

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
