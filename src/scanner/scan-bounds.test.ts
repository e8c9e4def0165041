// A scan is bounded: a server that accepts connections and then says nothing (a tarpit) costs at
// most the per-target time cap, never a hang, and never more connections than the cap.
import net, { type AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { scanTarget } from './scan-target.ts';

describe('scan bounds', () => {
  it('gives up on a silent server within the time cap and within the connection cap', async () => {
    const held: net.Socket[] = [];
    let accepted = 0;
    const tarpit = net.createServer((s) => { accepted++; held.push(s); s.on('error', () => {}); });
    await new Promise<void>((resolve) => tarpit.listen(0, '127.0.0.1', resolve));
    const port = (tarpit.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const r = await scanTarget(`https://127.0.0.1:${port}/`, { plainHttpPort: 9, bounds: { timeoutMs: 30_000, maxDurationMs: 1_500, maxConnections: 10 } });
      expect(Date.now() - started).toBeLessThan(10_000); // the 1.5 s cap, not the 30 s read timeout
      expect(r.connections).toBeLessThanOrEqual(10);
      expect(accepted).toBeLessThanOrEqual(10);
      expect(r.error?.code).toBe('NOT_TLS');
    } finally {
      for (const s of held) s.destroy();
      tarpit.close();
    }
  });
});
