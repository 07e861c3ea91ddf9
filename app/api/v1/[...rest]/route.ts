// No endpoint has this path: every method answers 404, or 405 where the path is known (lib/api/other-methods.ts).
export * from "@/lib/api/other-methods";
