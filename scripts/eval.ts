/**
 * `npm run eval`: how well routing keeps its promise on Countersign's own labelled set
 * (fixtures/eval: requirement documents from twelve projects, meeting transcripts, interviews,
 * chats and e-mails, every line labelled), before and after a simulated reviewer has decided half of it.
 *
 * Before: a fresh deployment drafts the test half. After: another fresh deployment drafts the
 * train half, a reviewer decides every item by the labels (approve, fix the category, reject what
 * is not a requirement; a second reviewer approves edits), and then it drafts the test half. The
 * test half is never decided, so "after" measures what people would not have seen.
 *
 * `npm run eval -- --dump <file>` also writes every judged draft and conflict of the test half, each draft
 * with what a reviewer would read on it (every routing reason with its detail, and the drafter's doubt).
 * `npm run eval -- --swap` learns from the test half and measures on the train half: the same
 * figures from the other side of the split, to tell a property of the method from luck of the split.
 *
 * The shipped category base learned from this very set, so these runs draft from the keywords.
 * `npm run eval -- --unseen-domains` measures the base end to end where that is honest: every run
 * keeps every other domain (in name order: the even places, or the odd ones with `--odd-domains`)
 * and drafts from a base learned from the lines of the domains left out, none of which it then
 * sees; `--keywords` makes the same run from the keywords, to compare with. Half the domains give
 * half the labels, so its automation is not comparable with the full run's.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const workDir = mkdtempSync(path.join(tmpdir(), "countersign-eval-"));
process.env.DEMO = "0";
process.env.AUTH_SECRET ??= "eval-secret-eval-secret-eval-secret";
// The figures are the output: a log line per model call would bury them.
process.env.LOG_LEVEL ??= "warn";
// The shipped category base learned from this very set, so a deployment measured on it starts from
// the keywords (or, with --unseen-domains, from a base learned from domains it does not measure).
process.env.CATEGORY_BASE = "keywords";

type Source = { title: string; kind: "document" | "meeting_notes" | "interview" | "email" | "other"; text: string };
type Corpus = { domain: string; sources: Source[] };

type Bin = { from: number; to: number; count: number; meanPredicted: number | null; observed: number | null };
const describeBins = (bins: readonly Bin[]) =>
  bins
    .filter((bin) => bin.count > 0)
    .map((bin) => `${bin.from.toFixed(1)}-${bin.to.toFixed(1)}: ${bin.count} drafts, predicted ${bin.meanPredicted!.toFixed(2)}, observed ${bin.observed!.toFixed(2)}`)
    .join("; ");

async function main() {
  const { loadEvalSet, statementDocuments, labelledItemsOf, labelledConflictsOf } = await import("@/fixtures/eval");
  const { summarise, summaryRows, formatTable } = await import("@/lib/evaluation/metrics");
  const set = loadEvalSet();

  const swapped = process.argv.includes("--swap");
  // With --unseen-domains, the domains measured (every other one in name order) and a base learned from the others.
  const unseenDomains = process.argv.includes("--unseen-domains");
  const domainsKept = unseenDomains ? await baseFromOtherDomains(set, !process.argv.includes("--keywords")) : null;
  const kept = (source: { domain: string }) => domainsKept === null || domainsKept.has(source.domain);
  // "train" and "test" name the roles; --swap gives each role the other half of the files.
  const halfOf = (role: "train" | "test") => ((role === "train") !== swapped ? "train" : "test");
  const transcriptsBy = (role: "train" | "test") => set.transcripts.filter((transcript, index) => index % 2 === (halfOf(role) === "train" ? 0 : 1) && kept(transcript));
  const documentsBy = (role: "train" | "test") => statementDocuments(halfOf(role)).filter(kept);
  const corpus = (role: "train" | "test"): Corpus[] => {
    const documents = documentsBy(role);
    const transcripts = transcriptsBy(role);
    const domains = [...new Set([...documents.map((d) => d.domain), ...transcripts.map((t) => t.domain)])];
    return domains.map((domain) => ({
      domain,
      sources: [
        ...documents.filter((d) => d.domain === domain).map((d) => ({ title: d.title, kind: d.kind, text: d.text })),
        ...transcripts.filter((t) => t.domain === domain).map((t) => ({ title: t.title, kind: t.kind, text: t.text })),
      ],
    }));
  };
  const testItems = [...documentsBy("test").flatMap(labelledItemsOf), ...transcriptsBy("test").flatMap(labelledItemsOf)];
  const trainItems = [...documentsBy("train").flatMap(labelledItemsOf), ...transcriptsBy("train").flatMap(labelledItemsOf)];
  const testConflicts = transcriptsBy("test").flatMap(labelledConflictsOf);

  const started = performance.now();
  const before = await withFreshDatabase("before", async (deployment) => deployment.draft(corpus("test")));
  const after = await withFreshDatabase("after", async (deployment) => {
    const trained = await deployment.draft(corpus("train"));
    const decided = await deployment.decideByLabels(trained.projectIds, trainItems);
    console.log(`  the simulated reviewers decided ${decided} items of the train half`);
    await deployment.describeCalibration();
    return deployment.draft(corpus("test"));
  });

  const beforeSummary = summarise(before.drafts, testItems, { reported: before.conflicts, labelled: testConflicts });
  const afterSummary = summarise(after.drafts, testItems, { reported: after.conflicts, labelled: testConflicts });
  console.log(
    `\nCountersign's own labelled set: ${set.statements.length} statements in ${new Set(set.statements.map((s) => s.domain)).size} domains, ${set.transcripts.length} transcripts, interviews, chats and e-mails.`,
  );
  const [learnt, measured] = swapped ? ["test", "train"] : ["train", "test"];
  if (domainsKept) console.log(`Only the ${domainsKept.size} domains at ${process.argv.includes("--odd-domains") ? "odd" : "even"} places in name order, drafting from ${process.env.CATEGORY_BASE === "keywords" ? "the keywords" : "a base learned from the other domains"}.`);
  console.log(`Measured on the ${measured} half (${testItems.filter((i) => i.label === "requirement").length} requirement lines); "after" = after reviewers decided the ${learnt} half.\n`);
  console.log(formatTable(summaryRows(beforeSummary, afterSummary)));
  // Meetings, interviews, chats and e-mails alone: the hard part (speaker turns, chatter, hedges, planted directives).
  const statementDomains = new Set(set.statements.map((s) => s.domain));
  const conversationTables = [
    { heading: "meetings, interviews, chats and e-mails", transcripts: transcriptsBy("test") },
    // Domains the documents do not cover: no vocabulary of theirs was ever in the train half.
    { heading: "conversations in domains without documents", transcripts: transcriptsBy("test").filter((t) => !statementDomains.has(t.domain)) },
  ];
  for (const { heading, transcripts } of conversationTables) {
    const titles = new Set(transcripts.map((t) => t.title));
    const fromThese = (quotes: import("@/lib/evaluation/metrics").DraftQuote[]) => quotes.some((q) => "sourceTitle" in q && titles.has(q.sourceTitle));
    const items = testItems.filter((item) => titles.has(item.source));
    const labelled = testConflicts.filter((conflict) => titles.has(conflict.source));
    const scored = (run: Drafted) =>
      summarise(run.drafts.filter((draft) => fromThese(draft.quotes)), items, { reported: run.conflicts.filter((conflict) => fromThese(conflict.quotes)), labelled });
    console.log(`\nOf which ${heading} (${transcripts.length} sources, ${items.filter((i) => i.label === "requirement").length} requirement lines):\n`);
    console.log(formatTable(summaryRows(scored(before), scored(after))));
  }
  // Where the calibration error of the "after" run comes from: predicted against observed, per bin.
  const { reliabilityBins } = await import("@/lib/calibration");
  const { judgeAll, missedRequirements } = await import("@/lib/evaluation/metrics");
  const judged = judgeAll(after.drafts, testItems);
  const pairs = judged.flatMap(({ draft, verdict }) => (typeof draft.calibratedProbability === "number" ? [{ p: draft.calibratedProbability, correct: verdict === "correct" }] : []));
  const bins = reliabilityBins(pairs).filter((bin) => bin.count > 0);
  console.log(`\nReliability after (test half): ${describeBins(bins)}`);
  const dump = process.argv.indexOf("--dump");
  if (dump > 0 && process.argv[dump + 1]) {
    writeFileSync(process.argv[dump + 1], JSON.stringify({ before: judgeAll(before.drafts, testItems), after: judged, missed: missedRequirements(after.drafts, testItems), conflicts: { before: before.conflicts, after: after.conflicts, labelled: testConflicts } }, null, 2));
    console.log(`  wrote every judged draft to ${process.argv[dump + 1]}`);
  }
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(0)} s)`);
}

/**
 * The domains an --unseen-domains run keeps (every other one in name order); with `withBase`,
 * a base learned from the others' labelled lines becomes the category base, before anything drafts
 * (drafting threads take the environment they start with).
 */
async function baseFromOtherDomains(set: import("@/fixtures/eval").EvalSet, withBase: boolean): Promise<Set<string>> {
  const domains = [...new Set([...set.statements, ...set.transcripts].map((source) => source.domain))].sort();
  const place = process.argv.includes("--odd-domains") ? 1 : 0;
  const measured = new Set(domains.filter((_, index) => index % 2 === place));
  if (!withBase) return measured;
  const { labelledRequirementLines } = await import("@/fixtures/eval");
  const { forgetCategoryBase, serializeCategoryBase, trainCategoryBase } = await import("@/lib/models/offline/category-model");
  const { resetEnvForTests } = await import("@/lib/env");
  const file = path.join(workDir, "category-base.json");
  writeFileSync(file, serializeCategoryBase(trainCategoryBase(labelledRequirementLines("all").filter((line) => !measured.has(line.domain)))));
  process.env.CATEGORY_BASE = file;
  resetEnvForTests();
  forgetCategoryBase();
  return measured;
}

type Drafted = {
  projectIds: string[];
  drafts: import("@/lib/evaluation/metrics").Draft[];
  conflicts: import("@/lib/evaluation/metrics").ReportedConflict[];
};

/** One deployment on its own SQLite file, with an admin, a stage owner and two reviewers. */
async function withFreshDatabase<T>(name: string, work: (deployment: Awaited<ReturnType<typeof deploymentOn>>) => Promise<T>): Promise<T> {
  process.env.DATABASE_URL = `file:${path.join(workDir, `${name}.db`)}`;
  const { resetEnvForTests } = await import("@/lib/env");
  const { disconnectDb } = await import("@/lib/db");
  resetEnvForTests();
  await disconnectDb();
  const { migrate } = await import("@/lib/migrations");
  await migrate();
  console.log(`${name}:`);
  try {
    return await work(await deploymentOn());
  } finally {
    await disconnectDb();
  }
}

async function deploymentOn() {
  const { systemActor } = await import("@/lib/actors");
  const { insertUser } = await import("@/lib/users/service");
  const { createProject } = await import("@/lib/projects/service");
  const { addSource } = await import("@/lib/sources/service");
  const { updateStageAssignments } = await import("@/lib/stages/service");
  const { startRun } = await import("@/lib/pipeline/service");
  const { drainRuns } = await import("@/lib/pipeline/worker");
  const { db } = await import("@/lib/db");
  const { decideReviewItem, listReviewItems } = await import("@/lib/review/service");
  const { bestMatch, judge } = await import("@/lib/evaluation/metrics");

  const person = async (email: string, role: "admin" | "member" = "member") => {
    const user = await insertUser(systemActor("eval"), { email, name: email.split("@")[0], password: "evaluation password", role });
    return { type: "user" as const, userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
  };
  const admin = await person("admin@eval.local", "admin");
  const owner = await person("owner@eval.local");
  const reviewer = await person("reviewer@eval.local");
  const second = await person("second@eval.local");
  let projects = 0;

  /** Drafts every corpus in its own project and reads back what routing did with each draft. */
  async function draft(corpora: Corpus[]): Promise<Drafted> {
    const projectIds: string[] = [];
    for (const { domain, sources } of corpora) {
      const project = await createProject(admin, { name: `${domain} ${++projects}`, brief: `Requirements for ${domain.replace(/-/g, " ")}` });
      await updateStageAssignments(admin, project.id, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email, second.email] });
      for (const source of sources) await addSource(owner, project.id, source);
      await startRun(owner, project.id, { stage: "requirements" });
      projectIds.push(project.id);
    }
    await drainRuns();
    const titles = new Map((await db().source.findMany({ where: { projectId: { in: projectIds } }, select: { id: true, title: true } })).map((s) => [s.id, s.title]));
    const artifacts = await db().artifact.findMany({
      where: { projectId: { in: projectIds }, kind: "requirement" },
      include: { versions: { where: { version: 1 } }, routings: { where: { version: 1 } } },
    });
    const drafts = artifacts.map((artifact) => {
      const content = artifact.versions[0].content as { statement: string; category: string; unsure: string | null; sources: { sourceId: string; quote: string }[] };
      const routing = artifact.routings[0];
      const reasons = routing.reasons as { code: string; detail?: string }[];
      return {
        statement: content.statement,
        category: content.category,
        quotes: content.sources.map((quote) => ({ sourceTitle: titles.get(quote.sourceId) ?? quote.sourceId, quote: quote.quote })),
        outcome: routing.outcome === "auto_approve" ? ("auto_approved" as const) : ("review" as const),
        calibratedProbability: routing.calibratedProbability,
        reasons: reasons.map((reason) => reason.code),
        why: [...reasons.map((reason) => `${reason.code}: ${reason.detail ?? ""}`), ...(content.unsure ? [`unsure: ${content.unsure}`] : [])],
      };
    });
    const conflicts = (await db().conflict.findMany({ where: { projectId: { in: projectIds } } })).map((conflict) => ({
      quotes: (conflict.sides as { sourceId: string; quote: string }[]).map((side) => ({ sourceTitle: titles.get(side.sourceId) ?? side.sourceId, quote: side.quote })),
    }));
    console.log(`  drafted ${drafts.length} requirements and ${conflicts.length} conflicts in ${corpora.length} projects`);
    return { projectIds, drafts, conflicts };
  }

  /**
   * Decides every pending item by the labels, as careful reviewers would: a draft of a labelled
   * requirement with the right category is approved, a wrong category is corrected (and the
   * corrected version approved by the second reviewer), anything else is rejected. A conflict
   * keeps every side that is a labelled requirement.
   */
  async function decideByLabels(projectIds: string[], items: import("@/lib/evaluation/metrics").LabelledItem[]): Promise<number> {
    const titles = new Map((await db().source.findMany({ where: { projectId: { in: projectIds } }, select: { id: true, title: true } })).map((s) => [s.id, s.title]));
    let decided = 0;
    for (;;) {
      const pending = (await Promise.all(projectIds.map((projectId) => listReviewItems(reviewer, { projectId, status: "pending", limit: 100 })))).flatMap((page) => page.items);
      if (pending.length === 0) break;
      // Conflicts first: their sides cannot be approved until they are resolved, and resolving rejects some.
      const conflicts = pending.filter((item) => item.kind === "conflict");
      for (const item of conflicts.length > 0 ? conflicts : pending) {
        if (item.kind === "conflict") {
          const keep = item.sides.flatMap((side) => {
            if (side.artifactId === null) return [];
            const match = bestMatch({ statement: side.statement ?? "", category: "", quotes: [{ sourceTitle: titles.get(side.sourceId) ?? "", quote: side.quote }], outcome: "review" }, items);
            return match?.label === "requirement" ? [side.artifactId] : [];
          });
          await decideReviewItem(reviewer, item.id, { action: "resolve", version: item.version, keep, comment: "Kept what the stakeholders asked for." });
        } else if (item.kind === "user_story" || item.reasons.some((reason) => reason.code === "edited")) {
          await decideReviewItem(item.reasons.some((reason) => reason.code === "edited") ? second : reviewer, item.id, { action: "approve", version: item.version });
        } else {
          const content = item.content as { statement: string; category: string; sources: { sourceId: string; quote: string }[] };
          const draft = { statement: content.statement, category: content.category, quotes: content.sources.map((q) => ({ sourceTitle: titles.get(q.sourceId) ?? "", quote: q.quote })), outcome: "review" as const };
          const match = bestMatch(draft, items);
          const verdict = judge(draft, match);
          if (verdict === "correct") await decideReviewItem(reviewer, item.id, { action: "approve", version: item.version });
          else if (verdict === "wrong_category" && match?.category) await decideReviewItem(reviewer, item.id, { action: "edit", version: item.version, content: { category: match.category } });
          else await decideReviewItem(reviewer, item.id, { action: "reject", version: item.version, comment: "Not a requirement of this project." });
        }
        decided += 1;
      }
      await drainRuns();
    }
    return decided;
  }

  /** What the deployment learned: labels, clean share, calibration error and the threshold the bound allows. */
  async function describeCalibration() {
    const { refitStepCalibration } = await import("@/lib/learning/service");
    const view = await refitStepCalibration(admin, "synthesize-requirements");
    const labels = await db().draftLabel.findMany({ where: { stepKey: "synthesize-requirements" }, select: { features: true, correct: true } });
    const { isAdvisoryFlag } = await import("@/lib/routing/schema");
    // What the bound is about: drafts no flag held for people (wording advice aside).
    const clean = labels.filter((label) => (label.features as { flags: string[] }).flags.every(isAdvisoryFlag));
    const flagCounts = new Map<string, number>();
    for (const label of labels) for (const flag of (label.features as { flags: string[] }).flags) flagCounts.set(flag, (flagCounts.get(flag) ?? 0) + 1);
    console.log(
      `  calibration v${view.version}: ${view.labels} labels (${view.correct} right), ${clean.length} clean (${clean.filter((l) => l.correct).length} right), ECE ${view.ece?.toFixed(3)}; ` +
        `auto-approval threshold ${view.autoApproval.threshold ?? "none"} (${view.autoApproval.decisionsNeeded ?? "?"} more decisions needed)`,
    );
    console.log(`  flags on labelled drafts: ${[...flagCounts].sort((a, b) => b[1] - a[1]).map(([flag, count]) => `${flag} ${count}`).join(", ")}`);
    console.log(`  reliability on the labels (out of fold): ${describeBins(view.bins)}`);
  }

  return { draft, decideByLabels, describeCalibration };
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(workDir, { recursive: true, force: true }));
