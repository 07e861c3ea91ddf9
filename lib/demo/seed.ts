import { randomBytes } from "node:crypto";
import { systemActor, type UserActor } from "@/lib/actors";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { startRun } from "@/lib/pipeline/service";
import { drainRuns } from "@/lib/pipeline/worker";
import { insertProject } from "@/lib/projects/service";
import { addSource } from "@/lib/sources/service";
import { updateStageAssignments } from "@/lib/stages/service";
import { stageKeys } from "@/lib/stages/stages";
import { insertUser } from "@/lib/users/service";
import { loadDemoNotes } from "@/fixtures/stakeholder-notes";
import { demoAccounts } from "./accounts";

/**
 * On an empty database, creates a workspace to try the product in: an admin, a stage owner and
 * two reviewers (one approves what the other edited), and a project whose requirements stage has already run, so the reviewer's queue
 * has work on the first visit. Skipped when any user exists, or with DEMO=0.
 */
export const DEMO_PROJECT_NAME = "Bike-share rider app";

export type SeedResult = { seeded: false } | { seeded: true; password: string; generatedPassword: boolean; projectId: string };

function asActor(user: { id: string; email: string; name: string; role: "admin" | "member" }): UserActor {
  return { type: "user", userId: user.id, email: user.email, name: user.name, role: user.role, tokenId: null };
}

export async function seedDemoIfEmpty(): Promise<SeedResult> {
  if (!env().DEMO || (await db().user.count()) > 0) return { seeded: false };
  const generatedPassword = !env().DEMO_PASSWORD;
  const password = env().DEMO_PASSWORD ?? randomBytes(9).toString("base64url");
  const seeder = systemActor("demo-seed");
  let users;
  try {
    users = {
      admin: asActor(await insertUser(seeder, { ...demoAccounts.admin, password })),
      owner: asActor(await insertUser(seeder, { ...demoAccounts.owner, password })),
      reviewer: asActor(await insertUser(seeder, { ...demoAccounts.reviewer, password })),
      reviewer2: asActor(await insertUser(seeder, { ...demoAccounts.reviewer2, password })),
    };
  } catch (error) {
    // Another instance seeded the same empty database a moment earlier.
    if (error instanceof AppError && error.code === "conflict") return { seeded: false };
    throw error;
  }

  const project = await insertProject(users.admin, {
    name: DEMO_PROJECT_NAME,
    brief: "A rider app for the city bike-share: find, unlock and return bikes, pay, and report problems.",
  });
  for (const stage of stageKeys) {
    await updateStageAssignments(users.admin, project.id, stage, {
      ownerEmail: demoAccounts.owner.email,
      reviewerEmails: [demoAccounts.reviewer.email, demoAccounts.reviewer2.email],
    });
  }
  for (const note of loadDemoNotes()) await addSource(users.admin, project.id, note);
  await startRun(users.owner, project.id, { stage: "requirements" });
  await drainRuns();
  return { seeded: true, password, generatedPassword, projectId: project.id };
}
