import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The socket a streamed body can be written to directly, in HTTP/1.1 chunked framing, or null when the response
 * must go through `res.write`. Direct writes need the response to own the socket (a pipelined response waits for
 * the one before it, and its bytes are queued by Node until then) and to be chunked (an HTTP/1.0 client gets an
 * unframed body ended by closing the connection).
 *
 * Why bypass `res.write`: for each call it corks the socket, queues four buffers (size line, CRLF, data, CRLF) and
 * writes them with one `writev` on the next tick, so the time taken after `res.write` returns is not the time of
 * the write, and each token costs the stream machinery four times over. A direct `socket.write` of one string is
 * written at once (libuv tries the write synchronously) when nothing is queued before it.
 */
export function directSocket(res: ServerResponse): Socket | null {
  const socket = res.socket;
  const chunked = (res as ServerResponse & { chunkedEncoding?: boolean }).chunkedEncoding === true;
  if (socket === null || !chunked || !res.headersSent || res.writableEnded || socket.destroyed) return null;
  return socket;
}

/** One HTTP/1.1 chunk holding `text`: its size in hex, CRLF, the bytes, CRLF. */
export function chunkFrame(text: string): string {
  return `${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`;
}

/** The response head, and `text` (when not empty) in the same write. */
export function writeHeadWith(res: ServerResponse, status: number, headers: Record<string, string>, text: string): void {
  res.writeHead(status, headers);
  const socket = res.socket;
  socket?.cork();
  res.flushHeaders();
  if (text !== '') write(res, text);
  if (socket?.writableCorked) socket.uncork();
}

/**
 * Writes `text` as one piece of a streamed body, now. Returns whether the bytes were handed to the kernel at once
 * (false when earlier bytes still wait for the client to read, so these queue behind them).
 */
export function write(res: ServerResponse, text: string): boolean {
  const socket = directSocket(res);
  if (socket === null) {
    res.write(text);
    // res.write corks until the next tick; the write is due now.
    res.socket?.uncork();
    return res.socket !== null && res.socket.writableLength === 0;
  }
  socket.write(chunkFrame(text));
  return socket.writableLength === 0;
}

/** Writes `text` (when not empty) and ends the body, in one write. Returns as `write` does. */
export function end(res: ServerResponse, text: string): boolean {
  const socket = res.socket;
  if (socket === null || socket.destroyed) {
    res.end(text);
    return false;
  }
  socket.cork();
  const direct = text !== '' && directSocket(res) !== null;
  if (direct) socket.write(chunkFrame(text));
  // With the body already written, end() adds only the terminating zero-size chunk, to the same corked write.
  res.end(direct ? undefined : text);
  if (socket.writableCorked) socket.uncork();
  return socket.writableLength === 0;
}
