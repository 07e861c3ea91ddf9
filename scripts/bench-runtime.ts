/**
 * `npm run bench:runtime`: what the model runtime costs beyond the model, on a throwaway SQLite database.
 *
 * 1. Orchestration overhead per model step: requirements runs through the worker with a model
 *    that answers at once (a local OpenAI-compatible stand-in that drafts one requirement per
 *    source line). The overhead is the step's time minus the time inside its model calls: step
 *    bookkeeping, lease, spend gate, price lookups, validation, the trace row and the totals.
 * 2. Steps per second for one worker, over the same runs (drafting, checking, routing and
 *    writing, with the instant model).
 * 3. A cascade against the strongest model alone, on the labelled sample notes (fixtures/eval):
 *    cost per approved artifact at the auto-approved precision each reaches, with a stated price
 *    table. No second, stronger drafter exists offline, so both tiers are the offline drafter
 *    under two prices: equal quality is assumed, not measured, and what is measured is what the
 *    cascade's routing of work costs (the strong tier reads only the uncertain passages).
 *    Calibration is fitted on the train half as reviewers' decisions by the labels would fit it;
 *    the cascade escalates what the cheap tier doubts (it is unsure, or its confidence is below
 *    one half), and, for comparison, everything it could not get auto-approved; all measured on
 *    the test half.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const dir = mkdtempSync(path.join(tmpdir(), "countersign-bench-runtime-"));
process.env.DATABASE_URL = `file:${path.join(dir, "bench.db")}`;
process.env.DEMO = "0";
process.env.LOG_LEVEL ??= "warn";

const RUNS = 40;
const STEP = "synthesize-requirements";
/** The stated price table: list prices per million tokens of a small and a large hosted model (OpenAI gpt-4o-mini and gpt-4o). */
const PRICES = {
  "offline:small": { inputUsdPerMTok: 0.15, outputUsdPerMTok: 0.6, as: "gpt-4o-mini" },
  "offline:large": { inputUsdPerMTok: 2.5, outputUsdPerMTok: 10, as: "gpt-4o" },
} as const;

type Row = string[];

function table(rows: Row[]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: Row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(" | ")} |`;
  return [line(rows[0]), `| ${widths.map((width) => "-".repeat(width)).join(" | ")} |`, ...rows.slice(1).map(line)].join("\n");
}

async function main() {
  const { migrate } = await import("@/lib/migrations");
  await migrate();
  const { resetEnvForTests } = await import("@/lib/env");
  const { systemActor } = await import("@/lib/actors");
  const { insertUser } = await import("@/lib/users/service");
  const { createProject } = await import("@/lib/projects/service");
  const { addSource } = await import("@/lib/sources/service");
  const { updateStageAssignments } = await import("@/lib/stages/service");
  const { startRun } = await import("@/lib/pipeline/service");
  const { drainRuns } = await import("@/lib/pipeline/worker");
  const { updatePolicy } = await import("@/lib/policies/service");
  const { setModelPrice } = await import("@/lib/models/prices");
  const { db, disconnectDb } = await import("@/lib/db");
  const { loadDemoNotes } = await import("@/fixtures/stakeholder-notes");
  const { startStandInModelServer, dataBlock } = await import("@/tests/support/stand-in-model-server");

  const person = async (email: string, role: "admin" | "member" = "member") => {
    const user = await insertUser(systemActor("bench"), { email, name: email.split("@")[0], password: "bench password", role });
    return { type: "user" as const, userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
  };
  const admin = await person("admin@bench.local", "admin");
  const owner = await person("owner@bench.local");
  let projects = 0;
  const project = async (name: string, sources: { title: string; kind: "document" | "meeting_notes" | "interview" | "email" | "other" | "ticket_digest"; text: string }[], brief = "") => {
    const { id } = await createProject(admin, { name: `${name} ${++projects}`, brief });
    await updateStageAssignments(admin, id, "requirements", { ownerEmail: owner.email, reviewerEmails: [owner.email] });
    for (const source of sources) await addSource(owner, id, source);
    return id;
  };

  // 1 and 2: the instant model.
  const server = await startStandInModelServer();
  process.env.COMPAT_BASE_URL = server.url;
  resetEnvForTests();
  server.respondWith("compat:instant", (request) => {
    const { sources } = dataBlock(request.messages[1].content, "sources")!.json() as { sources: { id: string; text: string }[] };
    const lines = sources.flatMap((source) => source.text.split("\n").filter((line) => line.trim().length > 20).map((line) => ({ sourceId: source.id, line: line.trim() })));
    const requirements = lines.map(({ sourceId, line }, index) => ({ id: `R${index + 1}`, statement: line, category: "functional", sources: [{ sourceId, quote: line }], confidence: 0.9, unsure: null }));
    return { json: { requirements, conflicts: [], openQuestions: [] } };
  });
  await updatePolicy(admin, STEP, { modelId: "compat:instant", reason: "benchmark: a model that answers at once" });
  const [note] = loadDemoNotes();
  const runIds: string[] = [];
  for (let index = 0; index < RUNS; index++) runIds.push((await startRun(owner, await project("Instant", [note]), { stage: "requirements" })).id);
  const started = performance.now();
  await drainRuns();
  const wallMs = performance.now() - started;
  await server.close();

  const steps = await db().stepRun.findMany({ where: { runId: { in: runIds }, status: "completed" }, include: { modelCalls: { select: { latencyMs: true } } } });
  const modelSteps = steps.filter((step) => step.key === STEP);
  const spanMs = (step: (typeof steps)[number]) => step.finishedAt!.getTime() - step.startedAt.getTime();
  const modelMs = modelSteps.flatMap((step) => step.modelCalls).reduce((sum, call) => sum + call.latencyMs, 0);
  const overheads = modelSteps.map((step) => spanMs(step) - step.modelCalls.reduce((sum, call) => sum + call.latencyMs, 0)).sort((a, b) => a - b);
  const mean = overheads.reduce((sum, value) => sum + value, 0) / overheads.length;
  const p95 = overheads[Math.min(overheads.length - 1, Math.floor(0.95 * overheads.length))];
  const allStepsOverhead = (wallMs - modelMs) / steps.length;
  // Printed before the cascade comparison, which takes most of the time and can be left out (--overhead-only).
  console.log(`\nModel runtime benchmark (SQLite, one worker, ${RUNS} requirements runs with an instant stand-in model)\n`);
  console.log(
    table([
      ["Figure", "Measured", "Target"],
      ["Orchestration overhead per model step, beyond model time (mean)", `${mean.toFixed(2)} ms`, "<= 5 ms"],
      ["  same, p95", `${p95.toFixed(2)} ms`, ""],
      ["  model time per model step (HTTP round trip to the stand-in)", `${(modelMs / modelSteps.length).toFixed(2)} ms`, ""],
      ["All steps incl. checks and routing writes, per step, beyond model time", `${allStepsOverhead.toFixed(2)} ms`, ""],
      ["Steps per second, one worker (drafting, checking, routing)", `${((steps.length / wallMs) * 1000).toFixed(1)}`, ""],
      ["Model steps per second, one worker", `${((modelSteps.length / wallMs) * 1000).toFixed(1)}`, ""],
    ]),
  );
  if (process.argv.includes("--overhead-only")) {
    await disconnectDb();
    return;
  }

  // 3: the cascade on the labelled sample notes.
  const { loadEvalSet, statementDocuments, labelledItemsOf } = await import("@/fixtures/eval");
  const { judgeAll } = await import("@/lib/evaluation/metrics");
  const { refitStepCalibration } = await import("@/lib/learning/service");
  const set = loadEvalSet();
  type Source = { title: string; kind: "document" | "meeting_notes" | "interview" | "email" | "other"; text: string };
  const corpus = (split: "train" | "test") => {
    const documents = statementDocuments(split);
    const transcripts = set.transcripts.filter((_, index) => index % 2 === (split === "train" ? 0 : 1));
    const domains = [...new Set([...documents.map((d) => d.domain), ...transcripts.map((t) => t.domain)])];
    const items = [...documents.flatMap(labelledItemsOf), ...transcripts.flatMap(labelledItemsOf)];
    const sources = domains.map((domain) => ({
      domain,
      sources: [...documents, ...transcripts].filter((source) => source.domain === domain).map((source): Source => ({ title: source.title, kind: source.kind, text: source.text })),
    }));
    return { sources, items };
  };
  for (const [modelId, price] of Object.entries(PRICES)) {
    await setModelPrice(admin, modelId, { inputUsdPerMTok: price.inputUsdPerMTok, outputUsdPerMTok: price.outputUsdPerMTok, reason: `benchmark: priced as ${price.as}` });
  }

  /** Drafts every domain of a half in its own project; returns each draft judged by the labels, with its routing and the step's cost. */
  async function draftHalf(split: "train" | "test") {
    const { sources, items } = corpus(split);
    const ids: string[] = [];
    for (const domain of sources) {
      const id = await project(domain.domain, domain.sources, `Requirements for ${domain.domain.replace(/-/g, " ")}`);
      await startRun(owner, id, { stage: "requirements" });
      ids.push(id);
    }
    await drainRuns();
    const titles = new Map((await db().source.findMany({ where: { projectId: { in: ids } }, select: { id: true, title: true } })).map((source) => [source.id, source.title]));
    const order = (artifact: { projectId: string; ref: string }) => ids.indexOf(artifact.projectId) * 1e6 + Number(artifact.ref.replace(/\D/g, ""));
    const artifacts = (
      await db().artifact.findMany({ where: { projectId: { in: ids }, kind: "requirement" }, include: { versions: { where: { version: 1 } }, routings: { where: { version: 1 } } } })
    ).sort((a, b) => order(a) - order(b));
    const drafts = artifacts.map((artifact) => {
      const content = artifact.versions[0].content as { statement: string; category: string; sources: { sourceId: string; quote: string }[] };
      return {
        statement: content.statement,
        category: content.category,
        quotes: content.sources.map((quote) => ({ sourceTitle: titles.get(quote.sourceId) ?? quote.sourceId, quote: quote.quote })),
        outcome: artifact.routings[0].outcome === "auto_approve" ? ("auto_approved" as const) : ("review" as const),
      };
    });
    const judged = judgeAll(drafts, items);
    const cost = await db().modelCall.aggregate({ where: { projectId: { in: ids }, stepRun: { key: STEP } }, _sum: { costUsd: true, inputTokens: true, outputTokens: true } });
    const byTier = await db().modelCall.groupBy({ by: ["tier"], where: { projectId: { in: ids }, stepRun: { key: STEP } }, _sum: { costUsd: true, inputTokens: true } });
    return { artifacts, judged, costUsd: cost._sum.costUsd ?? 0, inputTokens: cost._sum.inputTokens ?? 0, byTier };
  }

  await updatePolicy(admin, STEP, { modelId: "offline:large", cascade: [], auditSampleRate: 0, reason: "benchmark: calibrate on the train half" });
  const train = await draftHalf("train");
  // The labels the train half's decisions would leave, as reviewers deciding by the labels would (approve what is right, else not).
  // The model is left out of the features: both tiers are the same drafter here, so calibration must not tell them apart.
  const routings = new Map(train.artifacts.map((artifact) => [artifact.id, artifact.routings[0]]));
  await db().draftLabel.createMany({
    data: train.artifacts.map((artifact, index) => {
      const routing = routings.get(artifact.id)!;
      const correct = train.judged[index].verdict === "correct";
      return {
        // Calibration draws its folds from label ids: ids in drafting order make the figures repeatable.
        id: `bench-label-${String(index).padStart(5, "0")}`,
        artifactId: artifact.id,
        stepKey: STEP,
        category: routing.category,
        features: { ...(routing.features as Record<string, unknown>), modelId: null },
        calibratedProbability: routing.calibratedProbability,
        routedTo: "people",
        source: "review",
        outcome: correct ? "approved_unchanged" : "rejected",
        correct,
        decidedById: owner.userId,
      };
    }),
  });
  await refitStepCalibration(admin, STEP);
  // The strictest error target (at 95% confidence) the train half's labels support an auto-approval threshold for.
  const { loadCalibration, thresholdFor } = await import("@/lib/learning/calibration");
  const { currentPolicy } = await import("@/lib/policies/service");
  const fitted = await loadCalibration(STEP);
  const base = (await currentPolicy(STEP)).values;
  const targetErrorRate = Array.from({ length: 48 }, (_, step) => (step + 3) / 100).find((target) => thresholdFor(fitted, { ...base, targetErrorRate: target }, null).threshold !== null);
  if (targetErrorRate === undefined) throw new Error("The train half's labels support no auto-approval threshold; the comparison needs one.");
  const threshold = thresholdFor(fitted, { ...base, targetErrorRate }, null).threshold!;

  await updatePolicy(admin, STEP, { modelId: "offline:large", cascade: [], targetErrorRate, reason: "benchmark: the strong model alone" });
  const strongOnly = await draftHalf("test");
  // The cascade as an admin would set it: what the small model doubts (it says it is unsure, or its confidence is below one half) goes up.
  await updatePolicy(admin, STEP, {
    cascade: [
      { modelId: "offline:small", escalateWhen: { unsure: true, belowConfidence: 0.5 } },
      { modelId: "offline:large", escalateWhen: {} },
    ],
    reason: "benchmark: cascade, escalating what the small model doubts",
  });
  const cascade = await draftHalf("test");
  // And the strictest one: whatever the small model could not get auto-approved goes up.
  await updatePolicy(admin, STEP, {
    cascade: [
      { modelId: "offline:small", escalateWhen: { belowCalibrated: threshold } },
      { modelId: "offline:large", escalateWhen: {} },
    ],
    reason: "benchmark: cascade, escalating what the small model could not auto-approve",
  });
  const strict = await draftHalf("test");

  const figures = (result: Awaited<ReturnType<typeof draftHalf>>) => {
    const auto = result.judged.filter((entry) => entry.draft.outcome === "auto_approved");
    const approved = result.judged.filter((entry) => entry.verdict === "correct").length;
    return {
      auto: auto.length,
      precision: auto.length === 0 ? null : auto.filter((entry) => entry.verdict === "correct").length / auto.length,
      approved,
      costUsd: result.costUsd,
      perApproved: approved === 0 ? null : result.costUsd / approved,
    };
  };
  const strong = figures(strongOnly);
  const doubt = figures(cascade);
  const strictest = figures(strict);
  const largeShare = (result: Awaited<ReturnType<typeof draftHalf>>) => (result.byTier.find((entry) => entry.tier === 1)?._sum.inputTokens ?? 0) / Math.max(1, strongOnly.inputTokens);
  const pct = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)}%`);
  const usd = (value: number | null) => (value === null ? "n/a" : `$${value.toFixed(6)}`);
  const ratio = (result: ReturnType<typeof figures>) => (strong.perApproved && result.perApproved ? pct(result.perApproved / strong.perApproved) : "n/a");

  console.log(
    `\nCascade vs the strongest model alone: ${STEP} on the test half of fixtures/eval (${strongOnly.judged.length} drafts)` +
      `\nPrices per million tokens (input / output): offline:small as ${PRICES["offline:small"].as} $${PRICES["offline:small"].inputUsdPerMTok} / $${PRICES["offline:small"].outputUsdPerMTok}; ` +
      `offline:large as ${PRICES["offline:large"].as} $${PRICES["offline:large"].inputUsdPerMTok} / $${PRICES["offline:large"].outputUsdPerMTok}.` +
      `\nAssumption: both tiers are the offline drafter (no stronger drafter exists offline): the large tier is dearer, not better, so quality is` +
      `\nequal by assumption and the figures measure what routing only the uncertain passages to the large model costs.` +
      `\nCalibration from the train half's labels; the strictest error target they support an auto-approval threshold for is ${pct(targetErrorRate)}` +
      `\nat 95% confidence (threshold ${threshold.toFixed(3)}).\n`,
  );
  console.log(
    table([
      ["Figure", "Large model alone", "Cascade: doubt goes up", "Cascade: below threshold goes up"],
      ["Escalation rule of the small tier", "-", "unsure, or confidence < 0.5", `calibrated < ${threshold.toFixed(3)}`],
      ["Auto-approved drafts", String(strong.auto), String(doubt.auto), String(strictest.auto)],
      ["Auto-approved precision (by the labels)", pct(strong.precision), pct(doubt.precision), pct(strictest.precision)],
      ["Approved artifacts (drafts the labels call right)", String(strong.approved), String(doubt.approved), String(strictest.approved)],
      ["Input tokens read by the large model", "100.0%", pct(largeShare(cascade)), pct(largeShare(strict))],
      ["Model cost of the step", usd(strong.costUsd), usd(doubt.costUsd), usd(strictest.costUsd)],
      ["Cost per approved artifact", usd(strong.perApproved), usd(doubt.perApproved), usd(strictest.perApproved)],
      ["  vs the large model alone (target <= 50%)", "100.0%", ratio(doubt), ratio(strictest)],
    ]),
  );
  await disconnectDb();
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }));
