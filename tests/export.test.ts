import { beforeAll, describe, expect, it } from "vitest";
import { GET as exportRoute } from "@/app/api/v1/projects/[id]/export/route";
import { reviseArtifact } from "@/lib/artifacts/revision";
import { db } from "@/lib/db";
import { decideReviewItem } from "@/lib/review/service";
import { stageKeys } from "@/lib/stages/stages";
import { api } from "./api/api-client";
import { getFile, person, signedOffProject, type Person } from "./seven-stages";

/**
 * GET /api/v1/projects/{id}/export after a full seven-stage run: the signed-off work of every
 * stage with its sign-offs (the versions each bound), links and provenance, as JSON, Markdown
 * and CSV files.
 */
describe("exporting the signed-off work", () => {
  let owner: Person;
  let reviewer: Person;
  let stranger: Person;
  let projectId: string;

  beforeAll(async () => {
    const admin = await person("admin@export.test", "admin");
    owner = await person("owner@export.test");
    reviewer = await person("reviewer@export.test");
    stranger = await person("stranger@export.test");
    projectId = await signedOffProject("Library loans: 2025", { admin, reviewer, ownerOf: () => owner });
  });

  it("answers project members only, in the formats it knows", async () => {
    await api(stranger.token).fails("exportProject", { params: { id: projectId } }, 403);
    await api(owner.token).fails("exportProject", { params: { id: "no-such-project" } }, 404);
    await api(owner.token).fails("exportProject", { params: { id: projectId }, query: { format: "pdf" } }, 422);
  });

  it("exports every stage with the sign-off in force, the versions it bound, links and provenance, as a JSON file", async () => {
    const file = await getFile(exportRoute, `/projects/${projectId}/export`, reviewer.token, { id: projectId });
    expect(file.status).toBe(200);
    expect(file.contentType).toBe("application/json; charset=utf-8");
    expect(file.disposition).toMatch(/^attachment; filename="library-loans-2025-signed-off-\d{4}-\d{2}-\d{2}\.json"$/);

    const doc = await api(reviewer.token).ok("exportProject", { params: { id: projectId } });
    expect(doc).toMatchObject({ format: "countersign-export", formatVersion: 1, exportedBy: { email: reviewer.email }, project: { id: projectId, name: "Library loans: 2025" } });
    expect(doc.stages.map((stage) => stage.key)).toEqual([...stageKeys]);
    const approved = await db().artifact.findMany({ where: { projectId, status: { in: ["approved", "auto_approved"] } }, include: { derivedFrom: { include: { parent: true } } } });
    const exported = doc.stages.flatMap((stage) => stage.artifacts);
    expect(exported.map((artifact) => artifact.id).sort()).toEqual(approved.map((artifact) => artifact.id).sort());

    for (const stage of doc.stages) {
      expect(stage.status).toBe("signed_off");
      expect(stage.signOff).toMatchObject({ by: { email: owner.email }, supersededAt: null });
      expect(stage.signOff!.coverageHash).toMatch(/^[0-9a-f]{64}$/);
      // The signature bound exactly the versions exported.
      expect(stage.signOff!.versions.map((v) => `${v.ref}@${v.version}`).sort()).toEqual(stage.artifacts.map((a) => `${a.ref}@${a.version}`).sort());
      expect(stage.artifacts.length).toBeGreaterThan(0);
      for (const artifact of stage.artifacts) {
        expect(artifact.signedOffVersion).toBe(artifact.version);
        const links = approved.find((candidate) => candidate.id === artifact.id)!.derivedFrom.map((link) => link.parent.ref).sort();
        expect(artifact.derivedFrom.map((parent) => parent.ref).sort()).toEqual(links);
        if (stage.key !== "requirements") expect(artifact.derivedFrom.length, artifact.ref).toBeGreaterThan(0);
        // Who drafted it (model, step, who started the run) and how it was decided (a reviewer, or the router).
        expect(artifact.provenance.drafted.model, artifact.ref).toMatch(/\S/);
        expect(artifact.provenance.drafted.step, artifact.ref).toMatch(/\S/);
        expect(artifact.provenance.drafted.runStartedBy).toEqual({ name: owner.name, email: owner.email });
        const decided = artifact.provenance.decisions.some((d) => d.by.email === reviewer.email && (d.action === "approve" || d.action === "resolve"));
        const autoApproved = artifact.provenance.routing.some((r) => r.outcome === "auto_approve");
        expect(decided || autoApproved, artifact.ref).toBe(true);
      }
    }
  });

  it("renders the same record as Markdown, one section per stage and one entry per artifact, and as CSV, one record per artifact", async () => {
    const doc = await api(owner.token).ok("exportProject", { params: { id: projectId } });
    const markdown = await getFile(exportRoute, `/projects/${projectId}/export?format=markdown`, owner.token, { id: projectId });
    expect(markdown.contentType).toBe("text/markdown; charset=utf-8");
    expect(markdown.disposition).toMatch(/filename="library-loans-2025-signed-off-.*\.md"/);
    expect(markdown.text.startsWith("# Library loans: 2025: signed-off work\n")).toBe(true);
    expect(markdown.text.match(/^## \d\. .*$/gm)).toEqual(doc.stages.map((stage, index) => `## ${index + 1}. ${stage.label}: Signed off`));
    const entries = doc.stages.flatMap((stage) => stage.artifacts);
    expect(markdown.text.match(/^### /gm)).toHaveLength(entries.length);
    const story = entries.find((artifact) => artifact.kind === "user_story")!;
    const section = markdown.text.slice(markdown.text.indexOf(`### ${story.ref}:`));
    expect(section).toMatch(/^As a .+, I want .+, so that .+\.$/m);
    expect(section).toMatch(/^ {2}1\. \*\*Given\*\* .+ \*\*when\*\* .+ \*\*then\*\* .+$/m);
    expect(section).toContain(`- **Derived from:** ${story.derivedFrom.map((parent) => parent.ref).join(", ")}`);
    expect(section).toMatch(/- \*\*Drafted by:\*\* `.+` in step `.+`, run started by /);
    expect(section).toContain(`- **Signed off:** version ${story.version}`);
    expect(markdown.text).toMatch(/- \*\*Signed off by:\*\* owner \(owner@export\.test\), \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);

    const csv = await getFile(exportRoute, `/projects/${projectId}/export?format=csv`, owner.token, { id: projectId });
    expect(csv.contentType).toBe("text/csv; charset=utf-8");
    expect(csv.disposition).toMatch(/filename="library-loans-2025-signed-off-.*\.csv"/);
    const [header] = csv.text.split("\r\n");
    expect(header).toBe("Stage,Ref,Kind,Version,Status,Summary,Derived from,Drafted by model,Drafting step,Decisions,Signed off version,Signed off by,Signed off at,Stale,Content (JSON)");
    for (const artifact of entries) expect(csv.text).toMatch(new RegExp(`\\r\\n[A-Za-z]+,${artifact.ref},`));
  });

  it("after a revision, shows the reopened stage's sign-off as superseded and the revised version with who wrote and approved it, escaped", async () => {
    const requirement = (await api(owner.token).ok("exportProject", { params: { id: projectId } })).stages[0].artifacts.find((artifact) => artifact.kind === "requirement")!;
    const revision = await reviseArtifact(owner, requirement.id, { content: { statement: "Members renew <b>online</b> *three* times [max](http://x)." }, comment: "cap renewals" });
    await decideReviewItem(reviewer, revision.reviewItemId, { action: "approve", version: revision.version, comment: "agreed with the director" });

    const doc = await api(owner.token).ok("exportProject", { params: { id: projectId } });
    const requirements = doc.stages[0];
    expect(requirements.status).toBe("open");
    expect(requirements.signOff).toBeNull();
    expect(requirements.earlierSignOffs).toHaveLength(1);
    expect(requirements.earlierSignOffs[0]).toMatchObject({ supersededReason: expect.stringContaining("cap renewals") });
    expect(requirements.earlierSignOffs[0].versions.find((v) => v.artifactId === requirement.id)?.version).toBe(requirement.version);
    const revised = requirements.artifacts.find((artifact) => artifact.id === requirement.id)!;
    expect(revised).toMatchObject({ version: revision.version, signedOffVersion: null });
    expect(revised.provenance.versions.at(-1)).toMatchObject({ version: revision.version, editedBy: { email: owner.email }, model: null });
    expect(revised.provenance.decisions.at(-1)).toMatchObject({ action: "approve", version: revision.version, by: { email: reviewer.email }, comment: "agreed with the director" });
    const stale = doc.stages.flatMap((stage) => stage.artifacts).filter((artifact) => artifact.stale);
    expect(stale.length).toBeGreaterThan(0);

    const markdown = (await getFile(exportRoute, `/projects/${projectId}/export?format=markdown`, owner.token, { id: projectId })).text;
    expect(markdown).toContain("## 1. Requirements: Open");
    expect(markdown).toContain("Members renew \\<b\\>online\\</b\\> \\*three\\* times \\[max\\](http://x).");
    expect(markdown).toMatch(/- \*\*Earlier sign-off:\*\* by owner \(owner@export\.test\), .*superseded .*cap renewals/);
    expect(markdown).toContain(`- **Version ${revision.version} written by:** owner (owner@export.test)`);
    expect(markdown).toMatch(/- \*\*Approved:\*\* v\d+ by reviewer \(reviewer@export\.test\), .*: “agreed with the director”/);
    expect(markdown).toContain("- **Signed off:** not covered by a sign-off in force");
    expect(markdown).toMatch(/- \*\*Stale:\*\* REQ-\d+ changed: cap renewals/);
  });
});
