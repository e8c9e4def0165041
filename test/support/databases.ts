// The databases every DB-touching test runs on: SQLite always, PostgreSQL when
// MAMORI_TEST_POSTGRES_URL names a server (CI sets it; each test file gets a fresh database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe } from 'vitest';

export interface TestDatabase {
  name: 'sqlite' | 'postgres';
  /**
   * Creates a fresh, empty database and returns its URL plus a disposer. `cardFixture`: the test
   * writes card numbers on purpose (pan-scan's own tests), so the database and folder get names
   * CI's leftover scan (scripts/pan-scan-test-leftovers.ts) does not search, and drop removes both.
   */
  create(opts?: { cardFixture?: boolean }): Promise<{ url: string; dataDir: string; drop(): Promise<void> }>;
}

/** What tests leave behind is searched for card numbers at the end of CI (.ci/run): keep it until then. */
const keepForLeftoverScan = process.env.MAMORI_TEST_KEEP_DATABASES === '1';
/** Names CI's leftover scan searches; card fixtures are named apart from them. */
export const TEST_DIR_PREFIX = 'mamori-test-';
export const TEST_DATABASE_PREFIX = 'mamori_t_';
const CARD_FIXTURE_DIR_PREFIX = 'mamori-card-fixture-';
const CARD_FIXTURE_DATABASE_PREFIX = 'mamori_cardfixture_';

const pgBase = process.env.MAMORI_TEST_POSTGRES_URL;
/** Set MAMORI_TEST_ONLY=postgres to run only the PostgreSQL half (CI's second pass). */
const only = process.env.MAMORI_TEST_ONLY;

const sqlite: TestDatabase = {
  name: 'sqlite',
  async create(opts) {
    const dataDir = mkdtempSync(path.join(tmpdir(), opts?.cardFixture ? CARD_FIXTURE_DIR_PREFIX : TEST_DIR_PREFIX));
    return { url: path.join(dataDir, 'shop.sqlite'), dataDir, drop: async () => { if (opts?.cardFixture) rmSync(dataDir, { recursive: true, force: true }); } };
  },
};

const postgres: TestDatabase = {
  name: 'postgres',
  async create(opts) {
    const dataDir = mkdtempSync(path.join(tmpdir(), opts?.cardFixture ? CARD_FIXTURE_DIR_PREFIX : TEST_DIR_PREFIX));
    const name = `${opts?.cardFixture ? CARD_FIXTURE_DATABASE_PREFIX : TEST_DATABASE_PREFIX}${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgBase });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const url = new URL(pgBase!);
    url.pathname = `/${name}`;
    return {
      url: url.toString(),
      dataDir,
      async drop() {
        if (opts?.cardFixture) rmSync(dataDir, { recursive: true, force: true });
        else if (keepForLeftoverScan) return;
        const c = new pg.Client({ connectionString: pgBase });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      },
    };
  },
};

export const DATABASES: TestDatabase[] = [
  ...(only === 'postgres' ? [] : [sqlite]),
  ...(pgBase && only !== 'sqlite' ? [postgres] : []),
];

/**
 * Runs `suite` once per database, as `describe("<name> on sqlite")` and, when configured,
 * `describe("<name> on postgres")`: `npm run test:pg` selects the second by that suffix.
 * `wrap` replaces `describe` (e.g. describeWithChromium).
 */
export function describeEachDatabase(name: string, suite: (database: TestDatabase) => void, wrap: (name: string, suite: () => void) => void = describe): void {
  for (const database of DATABASES) wrap(`${name} on ${database.name}`, () => suite(database));
}
