/**
 * A real S3 protocol server (s3rver) for tests, on 127.0.0.1 and a random port.
 *
 * It runs in a child process because s3rver 3.7 signs ListObjectsV2
 * continuation tokens with single DES, which OpenSSL 3 (Node ≥ 17) only offers
 * behind --openssl-legacy-provider: in-process, any listing of more than 1,000
 * keys fails with a 500. The flag is for s3rver's process alone, never the app's.
 */
import { spawn } from "node:child_process";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";

const CHILD = `
import S3rver from "s3rver";
const { directory, buckets } = JSON.parse(process.env.S3RVER_CONFIG);
const server = new S3rver({
  port: 0,
  address: "127.0.0.1",
  silent: true,
  directory,
  configureBuckets: buckets.map((name) => ({ name })),
});
const { port } = await server.run();
process.stdout.write(JSON.stringify({ port }) + "\\n");
const stop = () => server.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.stdin.on("close", stop); // the test process went away
process.stdin.resume();
`;

export interface S3TestServer {
  endpoint: string;
  /** Credentials s3rver accepts. */
  credentials: { accessKeyId: string; secretAccessKey: string };
  stop(): Promise<void>;
}

export async function startS3TestServer(buckets: string[]): Promise<S3TestServer> {
  const directory = await fs.mkdtemp(path.join(os.tmpdir(), "ghs-s3rver-"));
  const child = spawn(process.execPath, ["--openssl-legacy-provider", "--input-type=module", "-e", CHILD], {
    cwd: process.cwd(),
    env: { ...process.env, S3RVER_CONFIG: JSON.stringify({ directory, buckets }), NODE_OPTIONS: "" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const port = await new Promise<number>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.once("line", (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once("exit", (code) => reject(new Error(`s3rver exited (${code}) before listening:\n${stderr}`)));
  });

  return {
    endpoint: `http://127.0.0.1:${port}`,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      await fs.rm(directory, { recursive: true, force: true });
    },
  };
}
