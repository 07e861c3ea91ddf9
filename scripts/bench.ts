/**
 * `npm run bench`: figures for the paths people wait on, on a throwaway SQLite database.
 *   - the offline drafter on the demo notes and on ~20k words;
 *   - a whole requirements run (draft, check, route, write) through the worker;
 *   - the review queue: listing a page and deciding an item, with hundreds pending;
 *   - the audit chain: recording an event, sealing, verifying the whole chain or from the checkpoint.
 * Prints medians and p95s; compare before and after a change on the same machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dir = mkdtempSync(path.join(tmpdir(), "countersign-bench-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
process.env.DEMO = "0";

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function measure(label: string, times: number, work: (i: number) => Promise<unknown> | unknown): Promise<void> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await work(i);
    samples.push(performance.now() - started);
  }
  const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
  console.log(`${label.padEnd(52)} median ${fmt(percentile(samples, 50)).padStart(10)}   p95 ${fmt(percentile(samples, 95)).padStart(10)}   (n=${times})`);
}

async function main() {
  const { migrate } = await import("@/lib/migrations");
  await migrate();
  const { loadDemoNotes } = await import("@/fixtures/stakeholder-notes");
  const { draftRequirements } = await import("@/lib/models/offline");
  const { systemActor } = await import("@/lib/actors");
  const { insertUser } = await import("@/lib/users/service");
  const { createProject } = await import("@/lib/projects/service");
  const { addSource } = await import("@/lib/sources/service");
  const { updateStageAssignments } = await import("@/lib/stages/service");
  const { startRun } = await import("@/lib/pipeline/service");
  const { drainRuns } = await import("@/lib/pipeline/worker");
  const { listReviewItems, decideReviewItem } = await import("@/lib/review/service");
  const { disconnectDb } = await import("@/lib/db");

  const notes = loadDemoNotes();
  const sources = notes.map((note, i) => ({ id: `s${i}`, ...note }));
  const project = { name: "Bike-share rider app", brief: "" };
  const words = sources.reduce((n, s) => n + s.text.split(/\s+/).length, 0);
  await measure(`drafter: demo notes (${words} words)`, 20, () => draftRequirements({ project, sources }));
  const copies = Math.ceil(20_000 / words);
  const large = Array.from({ length: copies }, (_, copy) => sources.map((s) => ({ ...s, id: `${s.id}-${copy}` }))).flat();
  await measure(`drafter: ${copies * words} words in ${large.length} sources`, 3, () => draftRequirements({ project, sources: large }));

  const asActor = (user: { id: string; email: string; name: string; role: "admin" | "member" }) =>
    ({ type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null }) as const;
  const admin = asActor(await insertUser(systemActor("bench"), { email: "admin@bench.local", name: "Admin", password: "bench-password", role: "admin" }));
  const reviewer = asActor(await insertUser(systemActor("bench"), { email: "reviewer@bench.local", name: "Reviewer", password: "bench-password" }));

  const projects = 20;
  await measure("requirements run: sources -> routed artifacts", projects, async (i) => {
    const { id } = await createProject(admin, { name: `Bench ${i}` });
    await updateStageAssignments(admin, id, "requirements", { reviewerEmails: [reviewer.email] });
    for (const note of notes) await addSource(admin, id, note);
    await startRun(admin, id, { stage: "requirements" });
    await drainRuns();
  });

  const pending = (await listReviewItems(reviewer, { status: "pending", limit: 100 })).items.length;
  const total = await (await import("@/lib/db")).db().reviewItem.count({ where: { status: "pending" } });
  await measure(`review queue: first page of 20 (${total} pending)`, 30, () => listReviewItems(reviewer, { status: "pending", limit: 20 }));
  // Drafts that stand alone: sides of an open conflict wait for the conflict to be resolved.
  const toDecide = (await listReviewItems(reviewer, { status: "pending", kind: "draft", limit: 100 })).items
    .filter((item) => !item.reasons.some((reason) => reason.code === "conflict"))
    .slice(0, 60);
  await measure("review decision: approve one item", Math.min(toDecide.length, pending), (i) =>
    decideReviewItem(reviewer, toDecide[i].id, { action: "approve", version: toDecide[i].version }),
  );

  // The audit chain: writers only insert; the sealer chains afterwards; the page re-hashes only what is new.
  const { recordAudit, verifyAuditChain } = await import("@/lib/audit/service");
  const { sealAuditEvents } = await import("@/lib/audit/sealer");
  const { transact } = await import("@/lib/transaction");
  const auditEvent = (i: number) => transact((tx) => recordAudit(tx, { actor: systemActor("bench"), action: "bench.event", subjectType: "bench", subjectId: String(i), after: { i } }));
  await measure("audit: record one event in its own transaction", 200, auditEvent);
  await measure("audit: seal the 200 events just recorded", 1, () => sealAuditEvents());
  await Promise.all(Array.from({ length: 1000 }, (_, i) => auditEvent(i)));
  await measure("audit: seal 1,000 events", 1, () => sealAuditEvents());
  const { sealed } = await verifyAuditChain();
  await measure(`audit verify: whole chain (${sealed} sealed events)`, 5, () => verifyAuditChain());
  await measure("audit page: verify from the checkpoint", 30, () => verifyAuditChain({ from: "checkpoint" }));

  const memory = process.memoryUsage();
  console.log(`memory: rss ${(memory.rss / 1e6).toFixed(0)} MB, heap used ${(memory.heapUsed / 1e6).toFixed(0)} MB`);
  await disconnectDb();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
