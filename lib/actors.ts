import type { GlobalRole } from "@/lib/generated/sqlite/enums";

/** Who is acting: a signed-in user, an API token acting for its user, or the system itself. */
export type UserActor = {
  type: "user" | "token";
  userId: string;
  email: string;
  name: string;
  role: GlobalRole;
  tokenId: string | null;
};
export type SystemActor = { type: "system"; label: string };
export type Actor = UserActor | SystemActor;

export const systemActor = (label = "system"): SystemActor => ({ type: "system", label });

export function actorLabel(actor: Actor): string {
  if (actor.type === "system") return actor.label;
  return actor.type === "token" ? `${actor.email} (API token)` : actor.email;
}
