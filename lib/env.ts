import { z } from "zod";

/**
 * The only module that reads process.env. Everything is validated once, at first use, and a
 * bad value stops the process with a message that names the variable.
 */
const flag = z
  .enum(["0", "1", "true", "false", "yes", "no", ""])
  .transform((v) => v === "1" || v === "true" || v === "yes");

const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z
    .string()
    .default("file:./data/countersign.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME: z.string().default("0.0.0.0"),
  AUTH_SECRET: z.string().min(16).optional(),
  /** Reverse proxies of our own in front of the app; sign-in throttling trusts x-forwarded-for that deep. */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  DEMO: flag.default(true),
  DEMO_PASSWORD: z.string().min(8).optional(),
  /** Start the in-process run worker with the server. Separate worker processes set it to 0. */
  WORKER: flag.default(true),
  WORKER_POLL_MS: z.coerce.number().int().min(50).default(1000),
  RUN_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  /** How long a re-draft after a rejection waits before it runs: the decider's undo window (lib/review/approvals.ts), so an undo finds nothing re-drafted yet. */
  REDRAFT_DELAY_SECONDS: z.coerce.number().int().min(0).max(3600).default(10),
  OPENAI_API_KEY: z.string().optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  ANTHROPIC_BASE_URL: z.string().url().optional(),
  /** Any OpenAI-compatible server (Ollama, vLLM, LM Studio): models are named compat:<model>. */
  COMPAT_BASE_URL: z.string().url().optional(),
  COMPAT_API_KEY: z.string().optional(),
  /**
   * What the offline drafter's category classifier starts from (lib/models/offline/category-model.ts):
   * "shipped" (learned from Countersign's own labelled set), "keywords" (the keyword classifier
   * alone), or the path of a JSON file written by `npm run train:categories`.
   */
  CATEGORY_BASE: z.string().min(1).default("shipped"),
  /** How long one model call may take before it is cut off, counted as a timeout and retried (lib/runtime/call.ts). */
  MODEL_TIMEOUT_MS: z.coerce.number().int().min(1000).default(60_000),
  /** Lowest level of the JSON log lines on stdout (lib/log.ts); unset: info, or warn under tests. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
  /** Where email goes out, e.g. smtp://user:pass@host:587 (smtps:// for TLS); unset: emails are kept for admins at /admin/emails. */
  SMTP_URL: z.preprocess(
    (value) => (value === "" ? undefined : value),
    z
      .string()
      .refine((url) => /^smtps?:\/\//.test(url), { message: "must start with smtp:// or smtps://" })
      .optional(),
  ),
  MAIL_FROM: z.string().min(3).default("Countersign <countersign@localhost>"),
  /** The address people reach this instance at, e.g. https://countersign.example.com: emails link to it; unset, they give app paths. */
  PUBLIC_URL: z.preprocess((value) => (value === "" ? undefined : value), z.string().url().optional()),
});

export type Env = z.infer<typeof envSchema>;

let cached: Env | undefined;

export function env(): Env {
  if (cached) return cached;
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests point the app at a fresh database; this forgets what was read before. */
export function resetEnvForTests(): void {
  cached = undefined;
}

export function databaseProvider(url = env().DATABASE_URL): "sqlite" | "postgresql" {
  return url.startsWith("file:") ? "sqlite" : "postgresql";
}
