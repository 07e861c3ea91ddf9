import { badRequest } from "@/lib/errors";

/** Input checks shared by the API and server actions: text the databases can store unchanged. */

/** Walks the body without recursion, so deeply nested JSON cannot overflow the stack. */
export function assertStorableStrings(body: unknown): void {
  const pending = [body];
  while (pending.length > 0) {
    const value = pending.pop();
    if (typeof value === "string") assertStorableText(value, "A string in the body");
    else if (typeof value === "object" && value !== null) {
      for (const [key, child] of Object.entries(value)) {
        assertStorableText(key, "A key in the body");
        pending.push(child);
      }
    }
  }
}

/** PostgreSQL cannot store NUL, and an unpaired surrogate is not UTF-8: refuse both here, not in the database. */
export function assertStorableText(text: string, where: string): void {
  if (text.includes("\u0000") || !text.isWellFormed()) {
    throw badRequest(`${where} contains a NUL character or an unpaired surrogate, which cannot be stored.`);
  }
}
