/**
 * Separation of duties: the rules that keep one person from drafting, approving and signing off
 * their own work. Pure, so the same sentences explain a refusal in the API, the queue and tests.
 * Admins are bound by them like everyone else.
 */
export type DecisionContext = {
  actorId: string;
  /** Who started the run that drafted the item (null for runs the system started). */
  runStartedById: string | null;
  /** Who wrote the version under review (null when a model drafted it). */
  versionEditedById: string | null;
  action: "approve" | "edit" | "reject" | "resolve";
  ref: string;
};

/** Why the actor may not make this decision, or null when they may. */
export function decisionRefusal(context: DecisionContext): string | null {
  if (context.runStartedById === context.actorId) {
    return `You started the run that drafted ${context.ref}, so someone else must decide it (separation of duties).`;
  }
  if (context.action === "approve" && context.versionEditedById === context.actorId) {
    return `You wrote this version of ${context.ref}, so someone else must approve it (separation of duties).`;
  }
  return null;
}

export type SignOffContext = {
  ownerId: string;
  /** Who decided each item of the stage that went to people (one entry per decision). */
  deciderIds: readonly string[];
};

/**
 * The owner answers for the stage but may not be its only check: when drafts went to people,
 * someone other than the owner must have decided some of them.
 */
export function signOffRefusal(context: SignOffContext): string | null {
  if (context.deciderIds.length === 0) return null;
  if (context.deciderIds.every((id) => id === context.ownerId)) {
    return "Every decision in this stage was yours. Someone other than the stage owner must decide the drafts that went to people before you can sign off (separation of duties).";
  }
  return null;
}
