/**
 * What every ObjectStorage must do, as tests. Each backend's test file calls
 * `objectStorageContract` with a factory; the same assertions then run against
 * a folder and against a real S3 protocol server.
 */
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
