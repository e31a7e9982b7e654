/**
 * Where photo files live: a folder on this machine (the embedded default) or any
 * S3-compatible bucket (several app instances). Domain code sees one small
 * interface and never learns which.
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import fsp, { type FileHandle } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { env, type Env } from "~/utils/env.server";

export interface StoredObject {
  /** Streamed, not buffered: the route pipes it straight to the response. */
  body: Readable;
  contentType: string;
  size: number;
}

/**
 * Keys look like `photos/<hash>/640.webp`: slash-separated segments of
 * `[A-Za-z0-9._-]`, none empty, none starting with a dot (so no `.`/`..`).
 * Every method throws InvalidKeyError on anything else, whatever the backend.
 */
/** A body written as it is produced: a Node stream, or any async iterable of text (UTF-8) and bytes. */
export type StreamBody = Readable | AsyncIterable<string | Uint8Array>;

export interface ObjectStorage {
  /** Replaces an existing object; readers never see a partial one. */
  put(key: string, body: Buffer, contentType: string): Promise<void>;
  /**
   * Writes a body of unknown length as it comes, never holding it whole
   * (a folder: a temporary file renamed into place; S3: a multipart upload).
   * Readers see the old object, or none, until the whole body is stored; a
   * body that fails leaves nothing, and its error is what rejects.
   * Resolves with the number of bytes stored.
   */
  putStream(key: string, body: StreamBody, contentType: string): Promise<{ bytes: number }>;
  /** null when there is no such object. */
  get(key: string): Promise<StoredObject | null>;
  exists(key: string): Promise<boolean>;
  /** Deleting a missing object is not an error. */
  delete(key: string): Promise<void>;
  /** Every key starting with `prefix` (a string prefix, as in S3), sorted. */
  list(prefix: string): Promise<string[]>;
}

/** Photos are content-addressed: a key's bytes never change, so caches may keep them for a year. */
export const IMMUTABLE_CACHE_CONTROL = "public, max-age=31536000, immutable";

const CONTENT_TYPES: Record<string, string> = {
  avif: "image/avif",
  webp: "image/webp",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  png: "image/png",
  json: "application/json",
  txt: "text/plain; charset=utf-8",
};

/** Content type by extension, for backends that cannot store one (a folder). */
export function contentTypeOf(key: string): string {
  const ext = key.slice(key.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? "application/octet-stream";
}

export class InvalidKeyError extends Error {
  name = "InvalidKeyError";
  constructor(key: string) {
    super(`Invalid storage key: ${JSON.stringify(key.slice(0, 200))}`);
  }
}

const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;
const MAX_KEY_LENGTH = 512;

export function isValidKey(key: string): boolean {
  return typeof key === "string" && key.length <= MAX_KEY_LENGTH && key.split("/").every((s) => SEGMENT.test(s));
}

function assertKey(key: string) {
  if (!isValidKey(key)) throw new InvalidKeyError(key);
}

/** A prefix is a key cut anywhere: "", "photos/" and "photos/ab" are fine; "../" is not. */
function assertPrefix(prefix: string) {
  if (prefix !== "" && !isValidKey(prefix + "x")) throw new InvalidKeyError(prefix);
}

/** The body as bytes, counted as they pass, with the body's own error remembered (a store's error may hide it). */
function countedBody(body: StreamBody) {
  const tally = { bytes: 0, error: undefined as unknown };
  async function* bytes(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of body as AsyncIterable<string | Uint8Array>) {
        const piece = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
        if (piece.byteLength === 0) continue;
        tally.bytes += piece.byteLength;
        yield piece;
      }
    } catch (error) {
      tally.error = error;
      throw error;
    }
  }
  return { tally, bytes };
}

/** Small chunks (a line per product) gathered into slices of about `size` bytes: fewer, larger writes. */
async function* inSlices(chunks: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let held: Uint8Array[] = [];
  let heldBytes = 0;
  for await (const chunk of chunks) {
    held.push(chunk);
    heldBytes += chunk.byteLength;
    if (heldBytes >= size) {
      yield Buffer.concat(held, heldBytes);
      held = [];
      heldBytes = 0;
    }
  }
  if (heldBytes > 0) yield Buffer.concat(held, heldBytes);
}

function isErrno(error: unknown, ...codes: string[]) {
  return error instanceof Error && codes.includes((error as NodeJS.ErrnoException).code ?? "");
}

// ------------------------------------------------------------------ local folder

/**
 * Objects as files under `root`. Writes go to a temporary file next to the
 * target and are renamed into place, so a crash or a concurrent reader never
 * sees half a photo. A folder keeps no metadata, so the content type comes
 * from the key's extension (photo keys always have one).
 */
export class LocalFolderStorage implements ObjectStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  private pathOf(key: string) {
    assertKey(key);
    const file = path.resolve(this.root, ...key.split("/"));
    // Belt and braces: the key check already rules out escaping the root.
    if (!file.startsWith(this.root + path.sep)) throw new InvalidKeyError(key);
    return file;
  }

  async put(key: string, body: Buffer, _contentType: string) {
    const file = this.pathOf(key);
    // Dot-prefixed, so list() never reports it and no valid key can name it.
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    for (let attempt = 0; ; attempt++) {
      try {
        await fsp.mkdir(path.dirname(file), { recursive: true });
        const handle = await fsp.open(temp, "wx");
        try {
          await handle.writeFile(body);
          await handle.sync();
        } finally {
          await handle.close();
        }
        await fsp.rename(temp, file);
        return;
      } catch (error) {
        await fsp.rm(temp, { force: true }).catch(() => {});
        // A concurrent delete() may prune the folder between mkdir and open: once more.
        if (attempt === 0 && isErrno(error, "ENOENT")) continue;
        throw error;
      }
    }
  }

  async putStream(key: string, body: StreamBody, _contentType: string) {
    const file = this.pathOf(key);
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomUUID()}.tmp`);
    const { tally, bytes } = countedBody(body);
    try {
      let handle: FileHandle;
      for (let attempt = 0; ; attempt++) {
        try {
          await fsp.mkdir(path.dirname(file), { recursive: true });
          handle = await fsp.open(temp, "wx");
          break;
        } catch (error) {
          // A concurrent delete() may prune the folder between mkdir and open: once more.
          if (attempt === 0 && isErrno(error, "ENOENT")) continue;
          throw error;
        }
      }
      try {
        for await (const slice of inSlices(bytes(), 1 << 20)) {
          for (let at = 0; at < slice.byteLength;) at += (await handle.write(slice, at)).bytesWritten;
        }
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fsp.rename(temp, file);
      return { bytes: tally.bytes };
    } catch (error) {
      await fsp.rm(temp, { force: true }).catch(() => {});
      throw tally.error ?? error;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    const file = this.pathOf(key);
    let handle: FileHandle;
    try {
      handle = await fsp.open(file, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR", "ELOOP", "EISDIR")) return null;
      throw error;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) {
        await handle.close();
        return null;
      }
      // The stream owns the handle from here and closes it when done or destroyed.
      return { body: handle.createReadStream(), contentType: contentTypeOf(key), size: stat.size };
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async exists(key: string) {
    try {
      return (await fsp.stat(this.pathOf(key))).isFile();
    } catch (error) {
      if (isErrno(error, "ENOENT", "ENOTDIR")) return false;
      throw error;
    }
  }

  async delete(key: string) {
    const file = this.pathOf(key);
    await fsp.rm(file, { force: true });
    // Prune folders left empty (photos/<hash>/), so the tree mirrors what is stored.
    for (let dir = path.dirname(file); dir.startsWith(this.root + path.sep); dir = path.dirname(dir)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        break; // not empty (or already gone): stop climbing
      }
    }
  }

  async list(prefix: string) {
    assertPrefix(prefix);
    const base = prefix.includes("/") ? prefix.slice(0, prefix.lastIndexOf("/")) : "";
    const keys: string[] = [];
    const walk = async (dir: string, keyPrefix: string) => {
      let entries: fs.Dirent[];
      try {
        entries = await fsp.readdir(dir, { withFileTypes: true });
      } catch (error) {
        if (isErrno(error, "ENOENT", "ENOTDIR")) return;
        throw error;
      }
      for (const entry of entries) {
        if (entry.name.startsWith(".")) continue; // temporary files of put()
        const key = keyPrefix + entry.name;
        if (entry.isDirectory()) await walk(path.join(dir, entry.name), key + "/");
        else if (entry.isFile() && key.startsWith(prefix)) keys.push(key);
      }
    };
    await walk(base ? path.join(this.root, ...base.split("/")) : this.root, base ? base + "/" : "");
    return keys.sort();
  }
}

// ------------------------------------------------------------------ S3

export interface S3StorageConfig {
  bucket: string;
  region: string;
  /** For R2, MinIO, …; unset for AWS S3. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Unset: the SDK's default credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Keys per ListObjectsV2 page; unset: the store's maximum (1,000 on S3). */
  listPageSize?: number;
}

function isNotFound(error: unknown) {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === "NoSuchKey" || error.name === "NotFound")
  );
}

/** Objects in an S3-compatible bucket (AWS S3, Cloudflare R2, MinIO, Backblaze B2, …). */
export class S3Storage implements ObjectStorage {
  readonly client: S3Client;
  readonly bucket: string;
  private readonly listPageSize?: number;

  constructor(config: S3StorageConfig) {
    this.bucket = config.bucket;
    this.listPageSize = config.listPageSize;
    this.client = new S3Client({
      region: config.region,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // The SDK's newer default checksum headers are not understood by every
      // S3-compatible store; ask for them only where S3 requires them.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  async put(key: string, body: Buffer, contentType: string) {
    assertKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: contentType,
        ContentLength: body.length,
        CacheControl: IMMUTABLE_CACHE_CONTROL,
      }),
    );
  }

  async putStream(key: string, body: StreamBody, contentType: string) {
    assertKey(key);
    const { tally, bytes } = countedBody(body);
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: Readable.from(bytes()), ContentType: contentType },
      // Parts of 8 MB, two in flight: at most ~16 MB of the body in memory, whatever its size.
      partSize: 8 * 1024 * 1024,
      queueSize: 2,
      // A failed upload is aborted: its parts are deleted, and no object appears.
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // The body's own failure comes first: the store's answer to the abort would hide it.
      throw tally.error ?? error;
    }
    return { bytes: tally.bytes };
  }

  async get(key: string): Promise<StoredObject | null> {
    assertKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      if (!out.Body) return null;
      // In Node the SDK's body is an http.IncomingMessage: a Readable already.
      const body = out.Body instanceof Readable ? out.Body : Readable.from(await out.Body.transformToByteArray());
      return {
        body,
        contentType: out.ContentType ?? contentTypeOf(key),
        size: out.ContentLength ?? 0,
      };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async exists(key: string) {
    assertKey(key);
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  async delete(key: string) {
    assertKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async list(prefix: string) {
    assertPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: prefix,
          ContinuationToken: token,
          MaxKeys: this.listPageSize,
        }),
      );
      for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys.sort();
  }
}

// ------------------------------------------------------------------ the configured one

type StorageEnv = Pick<
  Env,
  | "DATA_DIR"
  | "S3_BUCKET"
  | "S3_ENDPOINT"
  | "S3_REGION"
  | "S3_ACCESS_KEY_ID"
  | "S3_SECRET_ACCESS_KEY"
  | "S3_FORCE_PATH_STYLE"
>;

/** S3 when S3_BUCKET is set, else the folder DATA_DIR/media. */
export function createStorage(config: StorageEnv): ObjectStorage {
  if (config.S3_BUCKET) {
    return new S3Storage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
      credentials:
        config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY
          ? { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY }
          : undefined,
    });
  }
  return new LocalFolderStorage(path.resolve(config.DATA_DIR, "media"));
}

declare global {
  // One client per process, across `remix dev` rebuilds.
  var __ghsStorage: ObjectStorage | undefined;
}

export function storage(): ObjectStorage {
  globalThis.__ghsStorage ??= createStorage(env());
  return globalThis.__ghsStorage;
}

/**
 * Where browsers fetch photos: the bucket's public URL (or its CDN) when
 * S3_PUBLIC_URL is set, else this app's /media route. Send it to the browser
 * (root loader) for `<Picture>`.
 */
export function mediaBaseUrl(): string {
  return env().S3_PUBLIC_URL ?? "/media";
}
