import { unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";

export type UploadProblem = "too_large" | "too_many_files";

export interface PhotoForm {
  /** The text fields, as a normal FormData. */
  form: FormData;
  /** The uploaded files of `fileField`, in order, within the limits. */
  files: Buffer[];
  /** What went wrong with the files; the text fields are read regardless, so the form can be shown again as typed. */
  problems: UploadProblem[];
}

const MAX_TEXT_FIELD_BYTES = 64 * 1024;

async function readAll(data: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer | null> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  let over = false;
  // Keep draining past the limit so the rest of the form still parses.
  for await (const chunk of data) {
    size += chunk.byteLength;
    if (size > limit) over = true;
    else chunks.push(chunk);
  }
  return over ? null : Buffer.concat(chunks);
}

/**
 * Reads a multipart form with photos without ever holding more than the
 * limits in memory: a file over `maxFileBytes` or past `maxFiles` is drained
 * and reported, not stored, and every text field is still returned.
 */
export async function readPhotoForm(
  request: Request,
  { fileField = "photos", maxFiles, maxFileBytes }: { fileField?: string; maxFiles: number; maxFileBytes: number },
): Promise<PhotoForm> {
  const files: Buffer[] = [];
  const problems = new Set<UploadProblem>();
  const handler: UploadHandler = async ({ name, filename, data }) => {
    if (filename === undefined) {
      const text = await readAll(data, MAX_TEXT_FIELD_BYTES);
      return text === null ? null : text.toString("utf8");
    }
    if (name !== fileField || filename === "") {
      await readAll(data, 0);
      return null;
    }
    const body = await readAll(data, maxFileBytes);
    // A chosen but empty file is kept: the photo pipeline explains it ("empty").
    if (body === null) problems.add("too_large");
    else if (files.length >= maxFiles) problems.add("too_many_files");
    else files.push(body);
    return null;
  };
  const form = await unstable_parseMultipartFormData(request, handler);
  return { form, files, problems: [...problems] };
}

export function isMultipart(request: Request) {
  return (request.headers.get("Content-Type") ?? "").startsWith("multipart/form-data");
}
