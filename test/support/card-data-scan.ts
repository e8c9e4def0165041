// Finds a card number in any of the forms it could take on the way: plain digits, grouped
// with spaces or hyphens, URL- or form-encoded.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

export function cardNumberForms(pan: string): string[] {
  const groups = pan.match(/.{1,4}/g)!;
  const spaced = groups.join(' ');
  return [pan, spaced, groups.join('-'), encodeURIComponent(spaced), spaced.replace(/ /g, '+'), groups.join('%20')];
}

export function findCardNumber(haystack: string | Buffer, pans: string[]): string | undefined {
  const text = typeof haystack === 'string' ? haystack : haystack.toString('latin1');
  for (const pan of pans) for (const form of cardNumberForms(pan)) if (text.includes(form)) return form;
  return undefined;
}

/** Every file under dir (SQLite files with their WAL, logs, outbox, media…). */
export function scanDirectory(dir: string, pans: string[]): { file: string; form: string }[] {
  const hits: { file: string; form: string }[] = [];
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) hits.push(...scanDirectory(file, pans));
    else {
      const form = findCardNumber(readFileSync(file), pans);
      if (form) hits.push({ file, form });
    }
  }
  return hits;
}

/** Every row of every table of a PostgreSQL database, as text. */
export async function scanPostgresRows(url: string, pans: string[]): Promise<{ table: string; form: string }[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await client.query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'");
    const hits: { table: string; form: string }[] = [];
    for (const { table_name } of tables.rows) {
      const rows = await client.query(`select t::text as row from "${table_name}" t`);
      for (const r of rows.rows as { row: string }[]) {
        const form = findCardNumber(r.row, pans);
        if (form) hits.push({ table: table_name, form });
      }
    }
    return hits;
  } finally {
    await client.end();
  }
}
