import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/**
 * The environment, validated once at boot. A bad value stops the process with a
 * message that names the variable, instead of failing later in a request.
 */
const booleanish = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

/** `NAME=` in an env file means unset, not "the empty string". */
const blankIsUnset = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalText = z.preprocess(blankIsUnset, z.string().trim().optional());
const optionalUrl = z.preprocess(blankIsUnset, z.string().url().optional());

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
    /** Number of reverse proxies in front of the app whose X-Forwarded-For we trust for client IPs. */
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    /** Where SMS go: `log` (the log; development, demos, tests) or `esms` (eSMS.vn). ADR 016. */
    SMS_PROVIDER: z.preprocess(blankIsUnset, z.enum(["log", "esms"]).default("log")),
    /** A folder where the log provider also writes each SMS as a file (e2e tests, benchmarks). Never with a real provider. */
    SMS_TEST_OUTBOX: optionalText,
    /** eSMS.vn: the account's API key and secret key, and the registered brandname messages are sent under. */
    ESMS_API_KEY: optionalText,
    ESMS_SECRET_KEY: optionalText,
    ESMS_BRANDNAME: optionalText,
    /** eSMS's API host; a local double in tests. */
    ESMS_API_BASE: z.preprocess(blankIsUnset, z.string().url().default("https://rest.esms.vn")),
    /** eSMS's sandbox: requests are checked and answered, nothing is sent or charged (staging). */
    ESMS_SANDBOX: booleanish,
    PUBLIC_URL: z.string().url().optional(),
    DISABLE_RATE_LIMIT: booleanish,
    /** Send cookies with the Secure flag (HTTPS only). Defaults to true in production. */
    COOKIE_SECURE: z.enum(["true", "false", "1", "0"]).optional(),
    /** Photos go to this S3-compatible bucket when set; otherwise to DATA_DIR/media. */
    S3_BUCKET: optionalText,
    /** The store's endpoint (R2, MinIO, …); unset for AWS S3 itself. */
    S3_ENDPOINT: optionalUrl,
    S3_REGION: z.preprocess(blankIsUnset, z.string().trim().default("us-east-1")),
    /** Unset both to use the SDK's default credential chain (instance role, ~/.aws). */
    S3_ACCESS_KEY_ID: optionalText,
    S3_SECRET_ACCESS_KEY: optionalText,
    /** bucket.host/key (false) or host/bucket/key (true: MinIO and most self-hosted stores). */
    S3_FORCE_PATH_STYLE: booleanish,
    /** Public base URL of the bucket or its CDN; unset: photos are served through /media. */
    S3_PUBLIC_URL: optionalUrl.transform((v) => v?.replace(/\/+$/, "")),
    /** Card payments through Stripe Checkout: offered only when this and STRIPE_WEBHOOK_SECRET are set. */
    STRIPE_SECRET_KEY: z.preprocess(
      blankIsUnset,
      z
        .string()
        .trim()
        .regex(
          /^(sk|rk)_(test|live)_\w+$/,
          "must be a secret (sk_…) or restricted (rk_…) key, never the publishable pk_…",
        )
        .optional(),
    ),
    /** whsec_…; comma-separate several (the Connect endpoint's, or old and new while rotating). */
    STRIPE_WEBHOOK_SECRET: z.preprocess(
      blankIsUnset,
      z
        .string()
        .trim()
        .regex(/^whsec_[^\s,]+(\s*,\s*whsec_[^\s,]+)*$/, "must be one or more comma-separated whsec_… signing secrets")
        .optional(),
    ),
    /** Farmers get Stripe Connect Express accounts and card charges pay them directly (Stripe countries only). */
    STRIPE_CONNECT: booleanish,
    /** Where farmers' Connect Express accounts are (ISO 3166 two letters): the platform's Stripe country. */
    STRIPE_CONNECT_COUNTRY: z.preprocess(
      blankIsUnset,
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(/^[A-Z]{2}$/, "must be a two-letter country code, e.g. SG")
        .default("SG"),
    ),
    /** Another Stripe API host (a local double, tests): http://127.0.0.1:12111. */
    STRIPE_API_BASE: optionalUrl,
    /** VNPay (v2.1.0): offered only when this terminal code and VNPAY_HASH_SECRET are set. */
    VNPAY_TMN_CODE: optionalText,
    VNPAY_HASH_SECRET: optionalText,
    /** Where buyers pay; a local test double in tests. */
    VNPAY_PAY_URL: z.preprocess(
      blankIsUnset,
      z.string().url().default("https://sandbox.vnpayment.vn/paymentv2/vpcpay.html"),
    ),
    /** VNPay's merchant API (querydr, refund). */
    VNPAY_API_URL: z.preprocess(
      blankIsUnset,
      z.string().url().default("https://sandbox.vnpayment.vn/merchant_webapi/api/transaction"),
    ),
    /** Background jobs (app/jobs) in this process: on unless JOBS=off (tests, benchmarks, web-only instances). */
    JOBS: z
      .preprocess(blankIsUnset, z.enum(["on", "off", "true", "false", "1", "0"]).optional())
      .transform((v) => v === undefined || v === "on" || v === "true" || v === "1"),
    /** Hours a farmer has to confirm a new order before it is cancelled and its stock given back. */
    ORDER_CONFIRM_HOURS: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(168).default(24)),
    /** Minutes a VNPay/Stripe payment may stay open before the reconciliation job asks the provider about it. */
    PAYMENT_RECONCILE_AFTER_MINUTES: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(1440).default(15)),
    /** The platform's fee on every paid order, in basis points (250 = 2,5 %); 0: no fee. ADR 012. */
    PLATFORM_FEE_BPS: z.preprocess(blankIsUnset, z.coerce.number().int().min(0).max(10_000).default(0)),
  })
  .superRefine((env, ctx) => {
    // Instances behind a load balancer must share the secret. A single embedded
    // instance can keep a generated one in DATA_DIR (see sessionSecrets).
    if (env.NODE_ENV === "production" && !env.SESSION_SECRET && env.DATABASE_URL?.startsWith("postgres")) {
      ctx.addIssue({
        code: "custom",
        path: ["SESSION_SECRET"],
        message:
          "is required in production with DATABASE_URL (a long random string shared by every instance; comma-separate several to rotate)",
      });
    }
    // A half-configured store would silently keep photos on one instance's disk.
    if (!env.S3_BUCKET) {
      for (const name of ["S3_ENDPOINT", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_PUBLIC_URL"] as const) {
        if (env[name])
          ctx.addIssue({ code: "custom", path: ["S3_BUCKET"], message: `is required when ${name} is set` });
      }
    }
    // Half a Stripe setup would take payments whose webhooks nobody can verify.
    if (Boolean(env.STRIPE_SECRET_KEY) !== Boolean(env.STRIPE_WEBHOOK_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [env.STRIPE_SECRET_KEY ? "STRIPE_WEBHOOK_SECRET" : "STRIPE_SECRET_KEY"],
        message: "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together (or leave both unset: no card payments)",
      });
    }
    if (env.STRIPE_CONNECT && !env.STRIPE_SECRET_KEY) {
      ctx.addIssue({ code: "custom", path: ["STRIPE_SECRET_KEY"], message: "is required when STRIPE_CONNECT is true" });
    }
    // Half a VNPay setup would send buyers to pay URLs VNPay rejects, or take IPNs nobody can verify.
    if (Boolean(env.VNPAY_TMN_CODE) !== Boolean(env.VNPAY_HASH_SECRET)) {
      ctx.addIssue({
        code: "custom",
        path: [env.VNPAY_TMN_CODE ? "VNPAY_HASH_SECRET" : "VNPAY_TMN_CODE"],
        message: "VNPAY_TMN_CODE and VNPAY_HASH_SECRET go together (or leave both unset: no VNPay)",
      });
    }
    // Half an SMS setup: codes would go nowhere (or, with the outbox, to a folder next to real phones).
    const esmsSettings = ["ESMS_API_KEY", "ESMS_SECRET_KEY", "ESMS_BRANDNAME"] as const;
    if (env.SMS_PROVIDER === "esms") {
      for (const name of esmsSettings) {
        if (!env[name])
          ctx.addIssue({
            code: "custom",
            path: [name],
            message:
              "is required with SMS_PROVIDER=esms (the API key, secret key and registered brandname eSMS.vn gives)",
          });
      }
    } else {
      for (const name of esmsSettings) {
        if (env[name])
          ctx.addIssue({
            code: "custom",
            path: ["SMS_PROVIDER"],
            message: `is "${env.SMS_PROVIDER}" but ${name} is set: set SMS_PROVIDER=esms to send through eSMS.vn, or unset the ESMS_* settings`,
          });
      }
    }
    if (env.SMS_TEST_OUTBOX && env.SMS_PROVIDER !== "log") {
      ctx.addIssue({
        code: "custom",
        path: ["SMS_TEST_OUTBOX"],
        message:
          "copies every SMS, one-time codes included, to a folder: it is for tests with SMS_PROVIDER=log only; unset it with a real provider",
      });
    }
    if (Boolean(env.S3_ACCESS_KEY_ID) !== Boolean(env.S3_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: [env.S3_ACCESS_KEY_ID ? "S3_SECRET_ACCESS_KEY" : "S3_ACCESS_KEY_ID"],
        message:
          "S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together (or leave both unset for the default credential chain)",
      });
    }
  })
  .transform(({ COOKIE_SECURE, ...env }) => ({
    ...env,
    COOKIE_SECURE:
      COOKIE_SECURE === undefined ? env.NODE_ENV === "production" : COOKIE_SECURE === "true" || COOKIE_SECURE === "1",
  }));

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

let generatedSecret: string | undefined;

/**
 * Secrets that sign cookies: the first signs, all verify (rotation). Without
 * SESSION_SECRET, production on the embedded database generates one and keeps
 * it in DATA_DIR, so `npm start` on a fresh machine is safe and sessions
 * survive restarts; development and tests use a fixed value.
 */
export function sessionSecrets(): string[] {
  const { SESSION_SECRET, NODE_ENV, DATA_DIR } = env();
  if (SESSION_SECRET)
    return SESSION_SECRET.split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  if (NODE_ENV !== "production") return ["dev-only-insecure-session-secret"];
  if (!generatedSecret) {
    const file = path.resolve(DATA_DIR, "session-secret");
    try {
      generatedSecret = fs.readFileSync(file, "utf8").trim();
    } catch {
      generatedSecret = randomBytes(32).toString("base64url");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, generatedSecret, { mode: 0o600 });
    }
  }
  return [generatedSecret];
}
