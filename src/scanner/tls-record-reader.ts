// Reads TLS records (RFC 5246 §6.2.1) off a socket with a deadline, and reassembles handshake
// messages that span records. Hand-written for the same reason as client-hello.ts.
import type { Socket } from 'node:net';

export interface TlsRecord { type: number; version: number; payload: Buffer }
export type ReadOutcome = TlsRecord | 'closed' | 'timeout' | 'malformed';

const MAX_RECORD = 18_432; // 2^14 + 2048 (RFC 5246 §6.2.3): anything bigger is not TLS.

export class TlsRecordReader {
  private buffered = Buffer.alloc(0);
  private closed = false;
  private wake: (() => void) | undefined;

  constructor(socket: Socket) {
    socket.on('data', (chunk: Buffer) => { this.buffered = Buffer.concat([this.buffered, chunk]); this.notify(); });
    const end = () => { this.closed = true; this.notify(); };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', end);
  }

  private notify(): void { const w = this.wake; this.wake = undefined; w?.(); }

  /** Bytes received but not consumed as records (for SSLv2 replies, which are not TLS records). */
  get pending(): Buffer { return this.buffered; }

  /** Waits until at least `n` bytes are buffered, the peer closes, or the deadline passes. */
  async waitFor(n: number, deadline: number): Promise<'ready' | 'closed' | 'timeout'> {
    while (this.buffered.length < n) {
      if (this.closed) return 'closed';
      const left = deadline - Date.now();
      if (left <= 0) return 'timeout';
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => { clearTimeout(timer); resolve(); };
      });
    }
    return 'ready';
  }

  async next(deadline: number): Promise<ReadOutcome> {
    const header = await this.waitFor(5, deadline);
    if (header !== 'ready') return header;
    const type = this.buffered[0]!;
    const version = this.buffered.readUInt16BE(1);
    const length = this.buffered.readUInt16BE(3);
    if (type < 20 || type > 24 || version >> 8 !== 3 || length > MAX_RECORD) return 'malformed';
    const body = await this.waitFor(5 + length, deadline);
    if (body !== 'ready') return body;
    const payload = this.buffered.subarray(5, 5 + length);
    this.buffered = this.buffered.subarray(5 + length);
    return { type, version, payload };
  }
}

export interface HandshakeMessage { type: number; body: Buffer }

export class HandshakeAssembler {
  private buffered = Buffer.alloc(0);

  push(payload: Buffer): HandshakeMessage[] {
    this.buffered = Buffer.concat([this.buffered, payload]);
    const out: HandshakeMessage[] = [];
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUIntBE(1, 3);
      if (this.buffered.length < 4 + length) break;
      out.push({ type: this.buffered[0]!, body: this.buffered.subarray(4, 4 + length) });
      this.buffered = this.buffered.subarray(4 + length);
    }
    return out;
  }
}
