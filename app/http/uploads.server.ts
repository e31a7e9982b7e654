/**
 * Reading a form that may carry files (photos, a bank statement) without
 * holding the files in memory: each file part streams to a temporary file,
 * one folder per request, deleted when the caller is done whatever happens
 * (`withUploadForm`). A file over `maxFileBytes` or past `maxFiles` is
 * drained and reported, not kept, and the text fields are read regardless, so
 * the form can be shown again as typed. The HTTP layer has already bounded
 * the whole body (route-policies.server.ts); this bounds each part.
 */
import { createWriteStream } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { Refusal } from "./refusal";
import { refusalResponse } from "./responses.server";

export type UploadProblem = "too_large" | "too_many_files";

/** A file of the form, on disk until the form is done with. */
export interface UploadedFile {
  size: number;
  /** The file's name on the sender's machine, as the browser gave it. */
  name: string;
  read(): Promise<Buffer>;
}

export interface UploadForm {
  /** The text fields, as a normal FormData. */
  form: FormData;
  /** The files of `fileField`, in order, within the limits. */
  files: UploadedFile[];
  /** What went wrong with the files; the text fields are read regardless. */
  problems: UploadProblem[];
}

export interface UploadOptions {
  fileField?: string;
  maxFiles: number;
  maxFileBytes: number;
}

/** A text field of a multipart form: as much as a whole ordinary form may be. */
const MAX_TEXT_FIELD_BYTES = 64 * 1024;
const TEMP_PREFIX = "ghs-upload-";

export function isMultipart(request: Request) {
  return (request.headers.get("Content-Type") ?? "").toLowerCase().startsWith("multipart/form-data");
}

async function readText(data: AsyncIterable<Uint8Array>): Promise<string | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size <= MAX_TEXT_FIELD_BYTES) chunks.push(chunk);
  }
  if (size > MAX_TEXT_FIELD_BYTES) return null;
  const text = Buffer.concat(chunks).toString("utf8");
  // PostgreSQL text cannot hold NUL; no person types one.
  if (text.includes("\0")) throw new Refusal("badRequest");
  return text;
}

async function drain(data: AsyncIterable<Uint8Array>) {
  for await (const _ of data);
}

/** Streams one part to `file`; false (and no file) when it is over `limit` bytes. */
async function saveTo(file: string, data: AsyncIterable<Uint8Array>, limit: number): Promise<number | false> {
  const out = createWriteStream(file, { flags: "wx", mode: 0o600 });
  const closed = new Promise<void>((resolve, reject) => {
    out.once("close", resolve);
    out.once("error", reject);
  });
  let size = 0;
  try {
    for await (const chunk of data) {
      size += chunk.byteLength;
      if (size > limit) break;
      if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", () => resolve()));
    }
  } finally {
    out.end();
    await closed;
  }
  if (size <= limit) return size;
  await fs.rm(file, { force: true });
  await drain(data);
  return false;
}

/**
 * Reads the request's form (multipart or not), hands it to `handle`, then
 * deletes the temporary files. A multipart body that cannot be parsed (no
 * boundary, cut short, a NUL in a text field) is refused: a 400 is thrown.
 */
export async function withUploadForm<T>(
  request: Request,
  { fileField = "photos", maxFiles, maxFileBytes }: UploadOptions,
  handle: (upload: UploadForm) => Promise<T>,
): Promise<T> {
  if (!isMultipart(request)) return handle({ form: await request.formData(), files: [], problems: [] });

  let folder: string | undefined;
  try {
    folder = await fs.mkdtemp(path.join(os.tmpdir(), TEMP_PREFIX));
    const files: UploadedFile[] = [];
    const problems = new Set<UploadProblem>();
    let parts = 0;
    const handler: UploadHandler = async ({ name, filename, data }) => {
      if (filename === undefined) return readText(data);
      if (name !== fileField || filename === "") return drain(data).then(() => null);
      if (files.length >= maxFiles) {
        problems.add("too_many_files");
        return drain(data).then(() => null);
      }
      const file = path.join(folder!, String(parts++));
      const size = await saveTo(file, data, maxFileBytes);
      // A chosen but empty file is kept: the photo pipeline explains it ("empty").
      if (size === false) problems.add("too_large");
      else files.push({ size, name: filename, read: () => fs.readFile(file) });
      return null;
    };
    let form: FormData;
    try {
      form = await unstable_parseMultipartFormData(request, handler);
    } catch (error) {
      // The body was cut short, had no boundary, or a text field held a NUL: nothing of it is used.
      throw await refusalResponse(request, error instanceof Refusal ? error : new Refusal("badRequest"));
    }
    return await handle({ form, files, problems: [...problems] });
  } finally {
    if (folder) await fs.rm(folder, { recursive: true, force: true });
  }
}

/**
 * Temporary folders a killed process left behind (a request cut by kill -9),
 * removed at start-up. Only folders older than an hour: another instance on
 * this machine may be receiving one right now.
 */
export async function sweepStaleUploads(now = Date.now()): Promise<number> {
  const tmp = os.tmpdir();
  let removed = 0;
  for (const name of await fs.readdir(tmp).catch(() => [] as string[])) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const folder = path.join(tmp, name);
    const stat = await fs.stat(folder).catch(() => null);
    if (stat && now - stat.mtimeMs > 60 * 60 * 1000) {
      await fs.rm(folder, { recursive: true, force: true });
      removed++;
    }
  }
  return removed;
}
