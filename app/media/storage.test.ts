import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";
import { startS3TestServer, type S3TestServer } from "#tests/doubles/s3-server";
import { objectStorageContract } from "#tests/harness/storage-contract";
import { createStorage, LocalFolderStorage, S3Storage } from "./storage.server";

const tempDirs: string[] = [];
async function tempDir(label: string) {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `ghs-${label}-`));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => fs.rm(dir, { recursive: true, force: true })));
});

/** Every file under `dir`, temporary ones included, relative and sorted. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

objectStorageContract("LocalFolderStorage", async () => ({ storage: new LocalFolderStorage(await tempDir("local")) }));

describe("LocalFolderStorage", () => {
  it("renames a finished temporary file into place and leaves nothing else behind", async () => {
    const root = await tempDir("local");
    const storage = new LocalFolderStorage(root);
    await storage.put("photos/h/640.webp", Buffer.from("webp"), "image/webp");
    expect(await filesUnder(root)).toEqual([path.join("photos", "h", "640.webp")]);
  });

  it("cleans up its temporary file when a write fails", async () => {
    const root = await tempDir("local");
    const storage = new LocalFolderStorage(root);
    await storage.put("photos/h/640.webp", Buffer.from("a file where a folder would be"), "image/webp");
    await expect(storage.put("photos/h/640.webp/x.jpg", Buffer.from("x"), "image/jpeg")).rejects.toThrow();
    expect(await filesUnder(root)).toEqual([path.join("photos", "h", "640.webp")]);
  });

  it("streams into a temporary file beside the target and leaves nothing behind when the body fails", async () => {
    const root = await tempDir("local");
    const storage = new LocalFolderStorage(root);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reached!: () => void;
    const halfway = new Promise<void>((resolve) => (reached = resolve));
    async function* body() {
      yield Buffer.alloc(2 * 1024 * 1024, 1);
      reached();
      await gate;
      throw new Error("writer failed");
    }
    const put = storage.putStream("exports/r/google.xml", body(), "application/xml");
    await halfway;
    // Only a dot-file, which no valid key names and list() skips, exists meanwhile.
    expect((await filesUnder(root)).map((f) => path.basename(f))).toEqual([
      expect.stringMatching(/^\.google\.xml\.[0-9a-f-]+\.tmp$/),
    ]);
    release();
    await expect(put).rejects.toThrow("writer failed");
    expect(await filesUnder(root)).toEqual([]);
  });

  it("prunes folders that a delete leaves empty, and only those", async () => {
    const root = await tempDir("local");
    const storage = new LocalFolderStorage(root);
    await storage.put("photos/a/320.jpg", Buffer.from("1"), "image/jpeg");
    await storage.put("photos/a/640.jpg", Buffer.from("2"), "image/jpeg");
    await storage.put("photos/b/320.jpg", Buffer.from("3"), "image/jpeg");
    await storage.delete("photos/a/320.jpg");
    await storage.delete("photos/a/640.jpg");
    expect(await fs.readdir(path.join(root, "photos"))).toEqual(["b"]);
    await storage.delete("photos/b/320.jpg");
    expect(await fs.readdir(root)).toEqual([]);
  });

  it("answers null for a folder and for a path through a file", async () => {
    const storage = new LocalFolderStorage(await tempDir("local"));
    await storage.put("photos/h/640.webp", Buffer.from("x"), "image/webp");
    expect(await storage.get("photos/h")).toBeNull();
    expect(await storage.exists("photos/h")).toBe(false);
    expect(await storage.get("photos/h/640.webp/more.jpg")).toBeNull();
  });
});

describe("S3Storage against an S3 protocol server (s3rver)", () => {
  let server: S3TestServer;
  let bucketCount = 0;

  beforeAll(async () => {
    // One bucket per test keeps them independent; s3rver creates them at start.
    server = await startS3TestServer(Array.from({ length: 20 }, (_, i) => `test-${i}`));
  });
  afterAll(async () => {
    await server?.stop();
  });

  const s3 = (bucket: string) =>
    new S3Storage({
      bucket,
      region: "us-east-1",
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
    });

  objectStorageContract(
    "S3Storage",
    async () => {
      const storage = s3(`test-${bucketCount++}`);
      return { storage, cleanup: async () => storage.client.destroy() };
    },
    // S3 itself makes each PUT atomic; s3rver does not model that.
    { atomicPutsAreOurs: false },
  );

  it("stores the content type and a year-long immutable Cache-Control on each object", async () => {
    const storage = s3(`test-${bucketCount++}`);
    await storage.put("photos/h/640.avif", Buffer.from("avif"), "image/avif");
    const { HeadObjectCommand } = await import("@aws-sdk/client-s3");
    const head = await storage.client.send(new HeadObjectCommand({ Bucket: storage.bucket, Key: "photos/h/640.avif" }));
    expect(head.ContentType).toBe("image/avif");
    expect(head.CacheControl).toBe("public, max-age=31536000, immutable");
    storage.client.destroy();
  });

  it("lists past one page of results", async () => {
    const storage = new S3Storage({
      bucket: `test-${bucketCount++}`,
      region: "us-east-1",
      endpoint: server.endpoint,
      forcePathStyle: true,
      credentials: server.credentials,
      listPageSize: 2,
    });
    const keys = Array.from({ length: 7 }, (_, i) => `photos/p/${i}.jpg`);
    await Promise.all(keys.map((key) => storage.put(key, Buffer.from("x"), "image/jpeg")));
    await storage.put("photos/q/0.jpg", Buffer.from("x"), "image/jpeg");
    expect(await storage.list("photos/p/")).toEqual(keys);
    storage.client.destroy();
  });
});

describe("createStorage", () => {
  it("uses the folder DATA_DIR/media without S3_BUCKET", () => {
    const storage = createStorage(parseEnv({ DATA_DIR: "/srv/ghs" }));
    expect(storage).toBeInstanceOf(LocalFolderStorage);
    expect((storage as LocalFolderStorage).root).toBe(path.resolve("/srv/ghs/media"));
  });

  it("uses S3 when S3_BUCKET is set", () => {
    const storage = createStorage(
      parseEnv({
        S3_BUCKET: "photos",
        S3_ENDPOINT: "https://acct.r2.cloudflarestorage.com",
        S3_ACCESS_KEY_ID: "id",
        S3_SECRET_ACCESS_KEY: "secret",
        S3_FORCE_PATH_STYLE: "true",
      }),
    );
    expect(storage).toBeInstanceOf(S3Storage);
    expect((storage as S3Storage).bucket).toBe("photos");
    (storage as S3Storage).client.destroy();
  });
});

describe("S3_* environment", () => {
  it("defaults the region, reads path style as a boolean, trims the public URL, and treats blanks as unset", () => {
    const env = parseEnv({ S3_BUCKET: "b", S3_FORCE_PATH_STYLE: "1", S3_PUBLIC_URL: "https://cdn.example.vn/p/" });
    expect(env.S3_REGION).toBe("us-east-1");
    expect(env.S3_FORCE_PATH_STYLE).toBe(true);
    expect(env.S3_PUBLIC_URL).toBe("https://cdn.example.vn/p");
    expect(parseEnv({ S3_BUCKET: "", S3_ENDPOINT: "" }).S3_BUCKET).toBeUndefined();
    expect(parseEnv({}).S3_FORCE_PATH_STYLE).toBe(false);
  });

  it("refuses a half-configured store", () => {
    expect(() => parseEnv({ S3_ENDPOINT: "https://s3.example.vn" })).toThrowError(
      /S3_BUCKET: is required when S3_ENDPOINT is set/,
    );
    expect(() => parseEnv({ S3_BUCKET: "b", S3_ACCESS_KEY_ID: "id" })).toThrowError(
      /S3_SECRET_ACCESS_KEY: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together/,
    );
    expect(() => parseEnv({ S3_BUCKET: "b", S3_PUBLIC_URL: "not a url" })).toThrowError(/S3_PUBLIC_URL/);
  });
});
