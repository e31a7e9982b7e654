/**
 * The one logger (pino, JSON lines; pretty in development). Logs never hold
 * a person's phone number, name, address or bank account, nor a password,
 * a one-time code or a feed token:
 * - `redact` blanks the fields where such values are kept;
 * - the `err` serializer scrubs what an error carries: Drizzle puts the
 *   failed query's parameters in its message ("params: …", with the buyer's
 *   name and phone), PostgreSQL a row's values in `detail`; both go, and any
 *   phone-like number left in a message or stack is masked.
 * server.js uses this logger too (through the build), so the access log and
 * start-up messages follow the same rules.
 */
import pino from "pino";
import { env } from "./env.server";

const SENSITIVE = [
  "password",
  "phone",
  "to",
  "fullName",
  "buyerName",
  "buyerPhone",
  "address",
  "addressLine",
  "accountNumber",
  "accountName",
  "bankAccount",
  "token",
  "cookie",
];

export const REDACTED_PATHS = [
  // A one-time code at the top level; `err.code` ("23505", "EADDRINUSE") stays readable.
  "code",
  ...SENSITIVE,
  ...SENSITIVE.map((key) => `*.${key}`),
  "req.headers.cookie",
  "req.headers.authorization",
];

/** Vietnamese mobile numbers as people and the database write them: +84…, 84…, 0… */
const PHONE_LIKE = /(?:\+?84|\b0)(?:[\s.-]?\d){9}\b/g;

/** What of an error message may be logged: no query parameters, no phone-like numbers. */
export function scrubText(text: string): string {
  return text.replace(/\nparams: [^\n]*/g, "\nparams: [redacted]").replace(PHONE_LIKE, "[phone]");
}

type Serialized = Record<string, unknown>;

function scrubError(serialized: Serialized): Serialized {
  const out: Serialized = {};
  for (const [key, value] of Object.entries(serialized)) {
    // The values a failed statement was given, and the row PostgreSQL quotes back.
    if (key === "params" || key === "parameters" || key === "detail" || key === "raw") continue;
    if (typeof value === "string") out[key] = scrubText(value);
    else if (value && typeof value === "object" && !Array.isArray(value)) out[key] = scrubError(value as Serialized);
    else out[key] = value;
  }
  return out;
}

export function serializeError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error);
  return serialized && typeof serialized === "object" ? scrubError({ ...serialized }) : serialized;
}

export const loggerOptions: pino.LoggerOptions = {
  level: process.env.LOG_LEVEL ?? (env().NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "gian-hang-so" },
  redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  serializers: { err: serializeError, error: serializeError },
};

export const logger = pino({
  ...loggerOptions,
  ...(env().NODE_ENV === "development" ? { transport: { target: "pino-pretty" } } : {}),
});

export type Logger = typeof logger;
