/**
 * A logger configured as the app's (app/utils/logger.server.ts: the same
 * redaction and error serializer) that writes into memory, for tests that
 * read what would reach the logs.
 */
import { Writable } from "node:stream";
import pino from "pino";
import { loggerOptions } from "~/utils/logger.server";

export function captureLogs() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString("utf8"));
      done();
    },
  });
  return { log: pino({ ...loggerOptions, level: "info" }, stream), text: () => lines.join("") };
}
