/**
 * A response body from text produced piece by piece (a feed read from the
 * database in batches): each piece is read only when the HTTP layer asks for
 * the next one, so a slow client slows the reading instead of the server
 * holding the document; a client that goes away cancels the stream, which
 * ends the source (its `finally` blocks run).
 */
export function textBodyStream(pieces: AsyncIterable<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let iterator: AsyncIterator<string> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        iterator ??= pieces[Symbol.asyncIterator]();
        const { done, value } = await iterator.next();
        if (done) controller.close();
        else if (value) controller.enqueue(encoder.encode(value));
      },
      async cancel() {
        await iterator?.return?.();
      },
    },
    // Nothing is read ahead of what the client takes.
    { highWaterMark: 0 },
  );
}
