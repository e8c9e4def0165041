// The database engine in use, through the shop's handle (never a connection of its own).
import type { Component } from './types.ts';

/** The part of src/db/database.ts's DatabaseHandle the inventory needs. */
export interface EngineVersionSource {
  kind: 'sqlite' | 'postgres';
  engineVersion(): Promise<string>;
}

export async function databaseComponent(db: EngineVersionSource): Promise<Component> {
  const raw = (await db.engineVersion()).trim();
  // PostgreSQL server_version may carry the packager's suffix: "15.19 (Debian 15.19-0+deb12u1)"
  const version = raw.split(/\s+/)[0] ?? raw;
  const name = db.kind === 'postgres' ? 'postgresql' : 'sqlite';
  return {
    kind: 'database',
    ecosystem: 'generic',
    name,
    version,
    purl: `pkg:generic/${name}@${encodeURIComponent(version)}`,
    source: db.kind === 'postgres' ? 'show server_version' : 'select sqlite_version()',
  };
}
