import { beforeAll, describe, expect, it, vi } from "vitest";
import { systemActor, type UserActor } from "@/lib/actors";
import { listArtifacts } from "@/lib/artifacts/service";
import { db } from "@/lib/db";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { createProject } from "@/lib/projects/service";
import { addSource, listSourceSummaries, sourceUsage } from "@/lib/sources/service";
import { listStages, signOffStage, updateStageAssignments } from "@/lib/stages/service";
import { createTokenForEmail } from "@/lib/tokens/service";
import { api } from "./api/api-client";
import { approveEverything, makeUser, sampleNotes } from "./helpers";

vi.mock("next-auth", async (importOriginal) => ({ ...(await importOriginal<object>()), ...(await import("./api/next-auth-without-session")) }));

/**
 * PATCH and DELETE /api/v1/projects/{id}/sources/{sourceId}: sources change freely before the
 * stage that read them is signed off; after, an edit makes the drafts quoting the source stale
 * (with everything built on them) and reopens their stage, and a source signed-off work quotes
 * cannot be removed.
 */
const token = async (actor: UserActor) => (await createTokenForEmail(systemActor("test"), actor.email, "sources test")).secret;
const quotes = (content: unknown) => ((content as { sources?: { sourceId: string }[] }).sources ?? []).map((quote) => quote.sourceId);

describe("editing and removing sources", () => {
  let admin: UserActor;
  let owner: UserActor;
  let reviewer: UserActor;
  let ownerToken: string;
  let strangerToken: string;

  async function projectWithDrafts(name: string) {
    const projectId = (await createProject(admin, { name })).id;
    await updateStageAssignments(admin, projectId, "requirements", { ownerEmail: owner.email, reviewerEmails: [reviewer.email] });
    const sources = [];
    for (const note of sampleNotes) sources.push(await addSource(owner, projectId, note));
    await startRun(owner, projectId, { stage: "requirements" });
    await drainRuns();
    return { projectId, sources };
  }

  beforeAll(async () => {
    admin = await makeUser("admin@sources.test", "admin");
    owner = await makeUser("owner@sources.test");
    reviewer = await makeUser("reviewer@sources.test");
    const stranger = await makeUser("stranger@sources.test");
    ownerToken = await token(owner);
    strangerToken = await token(stranger);
  });

  it("edits and removes sources before sign-off, naming the drafts that quote them and marking nothing stale", async () => {
    const { projectId, sources } = await projectWithDrafts("Before sign-off");
    const quoting = (await listArtifacts(owner, projectId, { kind: "requirement" })).filter((artifact) => quotes(artifact.content).includes(sources[0].id));
    expect(quoting.length).toBeGreaterThan(0);

    const edited = await api(ownerToken).ok("updateSource", {
      params: { id: projectId, sourceId: sources[0].id },
      json: { title: "Interview (corrected)", text: `${sources[0].text}\r\nRenewals should be limited to five per item.` },
    });
    expect(edited.source).toMatchObject({ id: sources[0].id, title: "Interview (corrected)", text: `${sources[0].text}\nRenewals should be limited to five per item.` });
    expect(edited.quotedBy.map((draft) => draft.ref).sort()).toEqual(quoting.map((artifact) => artifact.ref).sort());
    expect(edited).toMatchObject({ stale: [], reopenedStages: [] });
    expect(await db().artifact.count({ where: { projectId, stale: true } })).toBe(0);
    const audit = await db().auditEvent.findFirstOrThrow({ where: { projectId, action: "source.edited" } });
    expect(audit).toMatchObject({ subjectId: sources[0].id, actorId: owner.userId });
    expect(audit.before).toMatchObject({ title: sources[0].title, characters: sources[0].text.length });

    const extra = await addSource(owner, projectId, { title: "Unused note", text: "Nothing anyone drafted from." });
    expect(await api(ownerToken).ok("removeSource", { params: { id: projectId, sourceId: extra.id } })).toEqual({ id: extra.id, quotedBy: [] });
    // A quoted source may go too while nothing is signed off: the owner runs the stage again.
    const removed = await api(ownerToken).ok("removeSource", { params: { id: projectId, sourceId: sources[1].id } });
    expect(removed.quotedBy.length).toBeGreaterThan(0);
    expect(await db().source.count({ where: { projectId } })).toBe(1);
    expect(await db().auditEvent.count({ where: { projectId, action: "source.removed" } })).toBe(2);
  });

  it("lists sources for the project page without their texts, with their length and the drafts quoting them", async () => {
    const { projectId, sources } = await projectWithDrafts("Summaries");
    const summaries = await listSourceSummaries(owner, projectId);
    expect(summaries.map((summary) => summary.id)).toEqual(sources.map((source) => source.id));
    for (const [index, summary] of summaries.entries()) {
      expect(summary).toEqual({ id: sources[index].id, title: sources[index].title, kind: sources[index].kind, createdAt: sources[index].createdAt, characters: sources[index].text.length });
    }
    const { quotedBy } = await sourceUsage(owner, projectId);
    const drafts = await listArtifacts(owner, projectId, { kind: "requirement" });
    for (const source of sources) {
      const quoting = drafts.filter((draft) => quotes(draft.content).includes(source.id)).map((draft) => draft.ref);
      expect(quotedBy[source.id] ?? []).toEqual(quoting);
    }
  });

  it("refuses strangers (403), unknown sources (404), changes while the stage drafts (409) and edits that change nothing or empty the text (422)", async () => {
    const { projectId, sources } = await projectWithDrafts("Refusals");
    const other = await projectWithDrafts("Elsewhere");
    const target = { id: projectId, sourceId: sources[0].id };
    const before = await db().auditEvent.count();

    expect((await api(strangerToken).fails("updateSource", { params: target, json: { text: "Mine now." } }, 403)).code).toBe("forbidden");
    expect((await api(strangerToken).fails("removeSource", { params: target }, 403)).code).toBe("forbidden");
    await api(ownerToken).fails("updateSource", { params: { id: projectId, sourceId: other.sources[0].id }, json: { text: "Not this project's." } }, 404);
    await api(ownerToken).fails("removeSource", { params: { id: projectId, sourceId: "no-such-source" } }, 404);
    await api(ownerToken).fails("updateSource", { params: target, json: { text: "   " } }, 422);
    await api(ownerToken).fails("updateSource", { params: target, json: {} }, 422);
    expect((await api(ownerToken).fails("updateSource", { params: target, json: { title: sources[0].title } }, 422)).message).toMatch(/changes nothing/);

    expect(await db().auditEvent.count()).toBe(before);

    await approveEverything(reviewer, projectId);
    await startRun(owner, projectId, { stage: "requirements" });
    const queued = await db().auditEvent.count();
    const drafting = await api(ownerToken).fails("updateSource", { params: target, json: { text: "Changed mid-run." } }, 409);
    expect(drafting.message).toMatch(/drafting from the sources/);
    await api(ownerToken).fails("removeSource", { params: target }, 409);
    expect(await db().auditEvent.count()).toBe(queued);
    expect((await db().source.findUniqueOrThrow({ where: { id: sources[0].id } })).text).toBe(sources[0].text);
    await drainRuns();
  });

  it("after sign-off, an edit makes the drafts quoting the source stale with their descendants and reopens the stage; removal is refused", async () => {
    const { projectId, sources } = await projectWithDrafts("After sign-off");
    await approveEverything(reviewer, projectId);
    await signOffStage(owner, projectId, "requirements", {});
    const requirements = await listArtifacts(owner, projectId, { kind: "requirement" });
    const quoting = requirements.filter((artifact) => artifact.status !== "rejected" && quotes(artifact.content).includes(sources[1].id));
    const stories = (await listArtifacts(owner, projectId, { kind: "user_story" })).filter((story) => story.derivedFrom.some((id) => quoting.some((artifact) => artifact.id === id)));
    expect(quoting.length).toBeGreaterThan(0);
    expect(stories.length).toBeGreaterThan(0);

    // A new title changes no quote.
    const renamed = await api(ownerToken).ok("updateSource", { params: { id: projectId, sourceId: sources[1].id }, json: { title: "Director's email" } });
    expect(renamed).toMatchObject({ stale: [], reopenedStages: [] });

    const refused = await api(ownerToken).fails("removeSource", { params: { id: projectId, sourceId: sources[1].id } }, 409);
    expect(refused.message).toMatch(/signed off/);
    expect(refused.details).toMatchObject({ quotedBy: expect.arrayContaining(quoting.map((artifact) => expect.objectContaining({ ref: artifact.ref }))) });

    const edited = await api(ownerToken).ok("updateSource", {
      params: { id: projectId, sourceId: sources[1].id },
      json: { text: sources[1].text.replace("7:00 to 22:00", "6:00 to 23:00"), comment: "opening hours were extended" },
    });
    expect(edited.reopenedStages).toEqual(["requirements"]);
    const staleIds = edited.stale.map((artifact) => artifact.id);
    expect(staleIds).toEqual(expect.arrayContaining([...quoting, ...stories].map((artifact) => artifact.id)));
    for (const artifact of await db().artifact.findMany({ where: { id: { in: quoting.map((a) => a.id) } } })) {
      expect(artifact).toMatchObject({ stale: true, staleReason: expect.stringContaining("opening hours were extended") });
    }
    // Work that does not quote the source stays fresh.
    const untouched = requirements.filter((artifact) => !quotes(artifact.content).includes(sources[1].id) && !staleIds.includes(artifact.id));
    expect(await db().artifact.count({ where: { id: { in: untouched.map((a) => a.id) }, stale: true } })).toBe(0);
    const stage = (await listStages(owner, projectId)).find((candidate) => candidate.key === "requirements")!;
    expect(stage.status).toBe("open");
    expect(await db().signOff.count({ where: { stage: { projectId }, supersededAt: { not: null } } })).toBe(1);
    expect(await db().notification.count({ where: { userId: owner.userId, projectId, kind: "stage.reopened" } })).toBe(1);

    // An unquoted source may still go after sign-off.
    const unused = await addSource(owner, projectId, { title: "Unused", text: "Nothing quotes this." });
    await api(ownerToken).ok("removeSource", { params: { id: projectId, sourceId: unused.id } });
  });
});
