import { z } from "zod";

/**
 * The environment, validated once at boot. A bad value stops the process with a
 * message that names the variable, instead of failing later in a request.
 */
const booleanish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    /** postgres://… selects PostgreSQL; unset selects embedded PGlite under DATA_DIR; memory:// an in-memory PGlite (tests). */
    DATABASE_URL: z
      .string()
      .optional()
      .refine((v) => !v || /^(postgres(ql)?:\/\/|memory:\/\/)/.test(v), {
        message: "must start with postgres:// (PostgreSQL) or be memory:// (in-memory PGlite)",
      }),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    DATA_DIR: z.string().min(1).default("./data"),
    /** Comma-separated; the first signs new cookies, the others still verify (rotation). */
    SESSION_SECRET: z.string().optional(),
    /** Seed the demo marketplace when the database is empty. */
    SEED_DEMO: z
      .enum(["true", "false", "1", "0"])
      .optional()
      .transform((v) => v === undefined || v === "true" || v === "1"),
    /** Number of reverse proxies in front of the app whose X-Forwarded-For we trust for client IPs. */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SMS_PROVIDER: z.enum(["log"]).default("log"),
    PUBLIC_URL: z.string().url().optional(),
    DISABLE_RATE_LIMIT: booleanish,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message: "is required in production (a long random string; comma-separate several to rotate)",
      });
    }
  });

export type Env = z.infer<typeof EnvSchema>;

export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= parseEnv();
  return cached;
}

/** Only what the browser may see. */
export function publicEnv() {
  return { NODE_ENV: env().NODE_ENV };
}

export function sessionSecrets(): string[] {
  const raw = env().SESSION_SECRET;
  if (raw) return raw.split(",").map((s) => s.trim()).filter(Boolean);
  // Development and tests only (production refuses to boot without one).
  return ["dev-only-insecure-session-secret"];
}
