import pino from "pino";
import { env } from "./env.server";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? (env().NODE_ENV === "test" ? "silent" : "info"),
  base: { service: "gian-hang-so" },
  redact: ["password", "*.password", "code", "*.code", "req.headers.cookie"],
});

export type Logger = typeof logger;
