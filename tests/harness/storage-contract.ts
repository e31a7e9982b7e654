/**
 * What every ObjectStorage must do, as tests. Each backend's test file calls
 * `objectStorageContract` with a factory; the same assertions then run against
 * a folder and against a real S3 protocol server.
 */
import { Readable } from "node:stream";
import { buffer, text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { InvalidKeyError, type ObjectStorage } from "~/media/storage.server";

export interface StorageUnderTest {
  storage: ObjectStorage;
  cleanup?: () => Promise<void>;
}

export interface ContractOptions {
  /**
   * Whether a put is atomic because of our code (true) or because of the server
   * behind it (false). Real S3 makes each PUT atomic; the s3rver test double
   * streams bodies straight into one file, so racing puts can interleave there
   * and the clause would test the double, not our code.
   */
  atomicPutsAreOurs?: boolean;
}

/** `setup` gives a fresh, empty storage for each test. */
export function objectStorageContract(
  name: string,
  setup: () => Promise<StorageUnderTest>,
  { atomicPutsAreOurs = true }: ContractOptions = {},
) {
  describe(`ObjectStorage contract: ${name}`, () => {
    const withStorage = (fn: (storage: ObjectStorage) => Promise<void>) => async () => {
      const { storage, cleanup } = await setup();
      try {
        await fn(storage);
      } finally {
        await cleanup?.();
      }
    };

    it(
      "returns what was put: bytes, content type and size, as a stream",
      withStorage(async (storage) => {
        const body = Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x01, 0x02, 0xfe]);
        await storage.put("photos/abc/640.jpg", body, "image/jpeg");
        const got = await storage.get("photos/abc/640.jpg");
        expect(got).not.toBeNull();
        expect(got!.contentType).toBe("image/jpeg");
        expect(got!.size).toBe(body.length);
        expect(Buffer.compare(await buffer(got!.body), body)).toBe(0);
      }),
    );

    it(
      "answers null and false for a missing key, and deleting it is not an error",
      withStorage(async (storage) => {
        expect(await storage.get("photos/none/320.webp")).toBeNull();
        expect(await storage.exists("photos/none/320.webp")).toBe(false);
        await expect(storage.delete("photos/none/320.webp")).resolves.toBeUndefined();
      }),
    );

    it(
      "replaces an object on a second put, and forgets it on delete",
      withStorage(async (storage) => {
        await storage.put("photos/k/320.webp", Buffer.from("first"), "image/webp");
        await storage.put("photos/k/320.webp", Buffer.from("second, longer"), "image/webp");
        const got = await storage.get("photos/k/320.webp");
        expect(await text(got!.body)).toBe("second, longer");
        expect(await storage.exists("photos/k/320.webp")).toBe(true);
        await storage.delete("photos/k/320.webp");
        expect(await storage.exists("photos/k/320.webp")).toBe(false);
        expect(await storage.get("photos/k/320.webp")).toBeNull();
        expect(await storage.list("")).toEqual([]);
      }),
    );

    it(
      "lists keys by string prefix, sorted",
      withStorage(async (storage) => {
        const keys = ["photos/b1/640.webp", "photos/a1/320.avif", "photos/a1/1280.jpg", "photos/a2/320.jpg", "x/y.jpg"];
        for (const key of keys) await storage.put(key, Buffer.from(key), "image/jpeg");
        expect(await storage.list("photos/a1/")).toEqual(["photos/a1/1280.jpg", "photos/a1/320.avif"]);
        expect(await storage.list("photos/a")).toEqual([
          "photos/a1/1280.jpg",
          "photos/a1/320.avif",
          "photos/a2/320.jpg",
        ]);
        expect(await storage.list("")).toEqual([...keys].sort());
        expect(await storage.list("photos/zz/")).toEqual([]);
        expect(await storage.list("nothing")).toEqual([]);
      }),
    );

    it(
      "keeps a megabyte-sized body intact",
      withStorage(async (storage) => {
        const body = Buffer.alloc(3 * 1024 * 1024 + 17);
        for (let i = 0; i < body.length; i++) body[i] = (i * 7919) & 0xff;
        await storage.put("photos/big/1280.avif", body, "image/avif");
        const got = await storage.get("photos/big/1280.avif");
        expect(got!.size).toBe(body.length);
        expect(Buffer.compare(await buffer(got!.body), body)).toBe(0);
      }),
    );

    it(
      "stores a streamed body of several megabytes intact, in many small chunks, and says how many bytes it stored",
      withStorage(async (storage) => {
        // 12 MB, more than one multipart part on S3, in 64 KB chunks, some of them text.
        const size = 12 * 1024 * 1024 + 5;
        const expected = Buffer.alloc(size);
        for (let i = 0; i < size; i++) expected[i] = (i * 7919 + (i >> 16)) & 0xff;
        async function* body() {
          for (let at = 0; at < size; at += 64 * 1024) {
            const chunk = expected.subarray(at, Math.min(size, at + 64 * 1024));
            yield at % (256 * 1024) === 0 ? new Uint8Array(chunk) : chunk;
          }
        }
        expect(await storage.putStream("exports/run-1/google.xml", body(), "application/xml")).toEqual({ bytes: size });
        const got = await storage.get("exports/run-1/google.xml");
        expect(got!.size).toBe(size);
        expect(Buffer.compare(await buffer(got!.body), expected)).toBe(0);

        // Text chunks are stored as UTF-8, and a Node stream is a body too.
        await storage.putStream(
          "exports/run-1/meta.csv",
          Readable.from(["id,title\n", "1,Vải thiều 🍒\n"]),
          "text/csv",
        );
        expect(await text((await storage.get("exports/run-1/meta.csv"))!.body)).toBe("id,title\n1,Vải thiều 🍒\n");
      }),
    );

    it(
      "shows no object while a streamed body is still coming, and none after it fails half-way",
      withStorage(async (storage) => {
        let release!: () => void;
        const gate = new Promise<void>((resolve) => (release = resolve));
        let reached!: () => void;
        const halfway = new Promise<void>((resolve) => (reached = resolve));
        async function* failing() {
          for (let i = 0; i < 150; i++) yield Buffer.alloc(64 * 1024, i); // 9.4 MB: past one S3 part (8 MB)
          reached();
          await gate;
          throw new Error("the database went away");
        }
        const put = storage.putStream("exports/run-2/meta.csv", failing(), "text/csv");
        await halfway;
        expect(await storage.exists("exports/run-2/meta.csv")).toBe(false);
        expect(await storage.get("exports/run-2/meta.csv")).toBeNull();
        expect(await storage.list("")).toEqual([]);
        release();
        // The body's own error, not the store's.
        await expect(put).rejects.toThrow("the database went away");
        expect(await storage.exists("exports/run-2/meta.csv")).toBe(false);
        expect(await storage.list("")).toEqual([]);

        // An object already there stays as it was when a replacement fails.
        await storage.putStream("exports/run-2/meta.csv", Readable.from(["old"]), "text/csv");
        async function* broken() {
          yield "new, but ";
          throw new Error("writer failed");
        }
        await expect(storage.putStream("exports/run-2/meta.csv", broken(), "text/csv")).rejects.toThrow(
          "writer failed",
        );
        expect(await text((await storage.get("exports/run-2/meta.csv"))!.body)).toBe("old");
        await expect(storage.putStream("../x.csv", Readable.from(["x"]), "text/csv")).rejects.toBeInstanceOf(
          InvalidKeyError,
        );
      }),
    );

    it.runIf(atomicPutsAreOurs)(
      "never shows a reader half an object when puts race on one key",
      withStorage(async (storage) => {
        const bodies = [0x11, 0x22, 0x33, 0x44].map((b) => Buffer.alloc(256 * 1024, b));
        await Promise.all(bodies.map((body) => storage.put("photos/race/640.webp", body, "image/webp")));
        const got = await buffer((await storage.get("photos/race/640.webp"))!.body);
        expect(bodies.some((body) => Buffer.compare(body, got) === 0)).toBe(true);
        expect(await storage.list("")).toEqual(["photos/race/640.webp"]);
      }),
    );

    it(
      "refuses keys that could escape or confuse the store",
      withStorage(async (storage) => {
        const hostile = [
          "",
          "../x.jpg",
          "photos/../../x.jpg",
          "photos/./a.jpg",
          "/etc/passwd",
          "photos//a.jpg",
          "photos/a.jpg/",
          "photos\\..\\a.jpg",
          ".hidden",
          "photos/.a.jpg.tmp",
          "photos/%2e%2e/a.jpg",
          "photos/a\u0000.jpg",
          "photos/ä.jpg",
          "a".repeat(600),
        ];
        for (const key of hostile) {
          await expect(storage.put(key, Buffer.from("x"), "image/jpeg"), key).rejects.toBeInstanceOf(InvalidKeyError);
          await expect(storage.get(key), key).rejects.toBeInstanceOf(InvalidKeyError);
          await expect(storage.exists(key), key).rejects.toBeInstanceOf(InvalidKeyError);
          await expect(storage.delete(key), key).rejects.toBeInstanceOf(InvalidKeyError);
        }
        await expect(storage.list("../")).rejects.toBeInstanceOf(InvalidKeyError);
        await expect(storage.list("/")).rejects.toBeInstanceOf(InvalidKeyError);
        expect(await storage.list("")).toEqual([]);
      }),
    );
  });
}
