import { Writable } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import { renderToPipeableStream } from "react-dom/server";
import { I18nextProvider } from "react-i18next";
import { NonceProvider } from "~/http";
import { getLocale, i18nInstance } from "~/i18n/index.server";
import { env } from "./utils/env.server";
import { logger } from "./utils/logger.server";
// Opening the database here makes the server migrate at boot, not on the first request.
import { db } from "./utils/db.server";
import { createApp as createHttpApp, type AppOptions } from "./http/index.server";
import { getUser, keepingSessionAlive } from "./auth/index.server";
import { withIdempotency } from "./offline/index.server";
import { auditingOfficerChanges } from "./officers/index.server";

// server.js reaches these through the build (build.entry.module) once it is imported:
// the HTTP server around Remix, the background jobs, the hint for a database
// without accounts, and the one logger.
/**
 * The HTTP app. Around each request: the session is renewed when due, its
 * cookie sent again (sliding sessions); inside, a change the seller app's
 * queue replays is done once per key, its first answer given again (ADR 030);
 * inside that, an officer's changes to a household go into its audit trail
 * (ADR 029), so a replay records nothing.
 */
export const createApp = (options: AppOptions) =>
  createHttpApp({
    around: (request, requestId, run) =>
      keepingSessionAlive(request, () =>
        withIdempotency(db, request, (handed) => auditingOfficerChanges(db, handed, requestId, () => run(handed)), {
          userOf: getUser,
        }),
      ),
    ...options,
  });
export { hintWhenNoUsers } from "./utils/first-run.server";
export { startJobs } from "./jobs/index.server";
export { logger } from "./utils/logger.server";

// Fail at boot with a readable message when the environment is wrong.
env();

const ABORT_DELAY = 5_000;

/**
 * React 18's renderer encodes into a 2,048-byte buffer and, when a multi-byte
 * character does not fit at its end, flushes the whole buffer, unwritten
 * bytes included: NULs in the page, in the middle of Vietnamese words
 * ("Cán b\0ộ"; facebook/react#31134, fixed in React 19). HTML never holds a
 * NUL, so a chunk's trailing NULs are always that.
 */
function withoutTrailingNuls(chunk: Buffer): Buffer {
  let end = chunk.length;
  while (end > 0 && chunk[end - 1] === 0) end--;
  return end === chunk.length ? chunk : chunk.subarray(0, end);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce ?? "";
  const instance = i18nInstance(await getLocale(request));

  // The page is rendered whole, then sent as one body. No route defers data, so
  // React's "shell" is already the whole page and streaming would only split it
  // into many small writes; compressing those one by one (brotli, for Chrome)
  // took more CPU than rendering a stall page. One buffer compresses once.
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    const chunks: Buffer[] = [];
    const page = new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(withoutTrailingNuls(chunk));
        done();
      },
      final(done) {
        clearTimeout(timeout);
        responseHeaders.set("Content-Type", "text/html; charset=utf-8");
        resolve(new Response(Buffer.concat(chunks), { headers: responseHeaders, status: responseStatusCode }));
        done();
      },
    });
    const { pipe, abort } = renderToPipeableStream(
      <I18nextProvider i18n={instance}>
        <NonceProvider value={nonce}>
          <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
        </NonceProvider>
      </I18nextProvider>,
      {
        onShellReady() {
          shellRendered = true;
        },
        nonce,
        onAllReady() {
          pipe(page);
        },
        onShellError(error: unknown) {
          clearTimeout(timeout);
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Before the shell, onShellError hands the error to Remix, which reports it.
          if (shellRendered) logger.error({ err: error }, "render error");
        },
      },
    );
    const timeout = setTimeout(abort, ABORT_DELAY + 1_000);
  });
}

export function handleError(error: unknown, { request }: { request: Request }) {
  if (request.signal.aborted) return;
  // 4xx (unknown URLs, thrown 403/404 responses) are answers, not failures.
  if (isRouteErrorResponse(error) && error.status < 500) return;
  // The path only: queries carry phone numbers and feed tokens.
  logger.error({ err: error, method: request.method, path: new URL(request.url).pathname }, "unhandled error");
}
