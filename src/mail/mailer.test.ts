import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMailer } from './mailer.ts';

describe('outbox mailer', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mamori-test-mailer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes MIME boundaries without digits, so no random boundary can read as a card number', async () => {
    const mailer = createMailer({ outboxDir: dir, from: 'shop@example.jp' });
    for (let i = 0; i < 20; i++) await mailer.send({ to: 'c@example.jp', subject: `s${i}`, text: 'text part', html: '<p>html part</p>' });
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml'));
    expect(files).toHaveLength(20);
    for (const f of files) {
      const eml = readFileSync(path.join(dir, f), 'utf8');
      const boundary = /boundary="([^"]+)"/.exec(eml)?.[1];
      expect(boundary, eml.slice(0, 400)).toBeDefined();
      // The shared part nodemailer puts between its prefix and "-Part_N".
      const shared = /^--_NmP-([^-]+)-Part_\d+$/.exec(boundary!)?.[1];
      expect(shared).toMatch(/^[a-z]{20}$/);
    }
  });
});
