/**
 * The bulk export screen's server half, shared by the admins' screen
 * (/admin/exports: any scope, every run) and an officer's (/officer/exports:
 * their communes only, and only those communes' runs). The routes say who is
 * asking and what they may see (a `BulkRunFilter`); the rules are here.
 */
import { Readable } from "node:stream";
import { data } from "@remix-run/node";
import type { TFunction } from "i18next";
import {
  listBulkExports,
  openBulkExportFile,
  parseBulkExportForm,
  requestBulkExport,
  type BulkExportQueue,
  type BulkRunFilter,
} from "./bulk.server";
import { answerRefusal } from "~/http/index.server";
import { getT } from "~/i18n/index.server";
import { db } from "~/utils/db.server";
import { env } from "~/utils/env.server";
import { translateErrors } from "~/utils/forms";
import { redirectWithToast } from "~/utils/toast.server";

/** How many runs the history shows. */
export const BULK_HISTORY_LIMIT = 30;

/** The runs a screen shows, newest first. */
export const bulkExportHistory = (filter?: BulkRunFilter) => listBulkExports(db, { limit: BULK_HISTORY_LIMIT, filter });

/**
 * The screen's form posted: a run asked for (back to `home` with a toast), or
 * the form again with the translated refusal (nothing queued). `communes`:
 * the only communes this person may export (an officer's); `extra`: what the
 * route's own form needs back with a refusal (the admin's commune list).
 */
export async function answerBulkExportForm<Extra extends Record<string, unknown>>(
  request: Request,
  form: FormData,
  {
    t,
    queue,
    userId,
    home,
    communes,
    extra,
  }: {
    t: TFunction;
    queue: BulkExportQueue | null;
    userId: string;
    home: string;
    communes?: readonly string[];
    extra: () => Promise<Extra>;
  },
) {
  const parsed = parseBulkExportForm(form);
  if (!parsed.ok) {
    const errors = translateErrors(t, parsed.errors, "exports");
    return data({ values: parsed.values, errors, ...(await extra()) }, { status: 400 });
  }
  try {
    const { created } = await requestBulkExport(db, queue, {
      userId,
      ...parsed.data,
      communes,
      site: env().PUBLIC_URL ?? new URL(request.url).origin,
    });
    return redirectWithToast(home, {
      key: created ? "exports:bulk.requestedToast" : "exports:bulk.alreadyToast",
    });
  } catch (error) {
    return answerRefusal(t, error, parsed.values, await extra());
  }
}

/**
 * A finished run's file, streamed from storage to whoever `filter` lets see
 * it (never a public media URL: /media serves photo keys only). 404 for an
 * unknown, unfinished or expired run, and for one outside the filter.
 */
export async function bulkExportDownload(request: Request, runId: string, filter?: BulkRunFilter): Promise<Response> {
  const file = await openBulkExportFile(db, runId, { filter });
  // Every stall's data of a commune or province: never kept by a browser or a proxy.
  const headers = new Headers({ "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" });
  if (!file) {
    const t = await getT(request, "exports");
    headers.set("Content-Type", "text/plain; charset=utf-8");
    return new Response(t("bulk.download.notFound"), { status: 404, headers });
  }
  headers.set("Content-Type", file.contentType);
  headers.set("Content-Length", String(file.size));
  headers.set("Content-Disposition", `attachment; filename="${file.fileName}"`);
  if (request.method === "HEAD") {
    file.body.destroy();
    return new Response(null, { status: 200, headers });
  }
  // A client that goes away cancels the stream, which closes the file (or the S3 response).
  return new Response(Readable.toWeb(file.body) as ReadableStream<Uint8Array>, { status: 200, headers });
}
