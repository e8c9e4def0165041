// One inventory snapshot per report month (table monthly_inventory_snapshots, migration 0520).
// The inventory module answers "what runs now"; the shop stored no history of it, so the report
// keeps the snapshot it was built from and compares it with last month's.
import type { Kysely } from 'kysely';
import type { Inventory } from '../inventory/types.ts';
import type { ReportMonth } from './report-contract.ts';

export interface InventorySnapshot {
  takenAt: string;
  node: { version: string; openssl: string; phase: string; endOfLife: string | null; eol: boolean } | null;
  components: { kind: string; name: string; version: string }[];
}

type SnapshotTables = { monthly_inventory_snapshots: { month: string; taken_at: string; inventory_json: string } };
const snapshotDb = (db: Kysely<any>) => db as Kysely<SnapshotTables>;

export function snapshotOf(inv: Inventory, takenAt: Date): InventorySnapshot {
  return {
    takenAt: takenAt.toISOString(),
    node: inv.node ? { version: inv.node.version, openssl: inv.node.openssl, phase: inv.node.phase, endOfLife: inv.node.endOfLife ?? null, eol: inv.node.eol } : null,
    components: inv.components.map((c) => ({ kind: c.kind, name: c.name, version: c.version }))
      .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name) || a.version.localeCompare(b.version)),
  };
}

export async function loadInventorySnapshot(db: Kysely<any>, month: ReportMonth): Promise<InventorySnapshot | undefined> {
  const row = await snapshotDb(db).selectFrom('monthly_inventory_snapshots').select('inventory_json').where('month', '=', month).executeTakeFirst();
  return row ? (JSON.parse(row.inventory_json) as InventorySnapshot) : undefined;
}

/** Stores the month's snapshot unless one is there already (the first one taken stays: reports of a month must agree). */
export async function storeInventorySnapshot(db: Kysely<any>, month: ReportMonth, snapshot: InventorySnapshot): Promise<InventorySnapshot> {
  await snapshotDb(db).insertInto('monthly_inventory_snapshots')
    .values({ month, taken_at: snapshot.takenAt, inventory_json: JSON.stringify(snapshot) })
    .onConflict((oc) => oc.column('month').doNothing()).execute();
  return (await loadInventorySnapshot(db, month))!;
}

export interface InventoryChanges {
  added: { kind: string; name: string; version: string }[];
  removed: { kind: string; name: string; version: string }[];
  upgraded: { kind: string; name: string; from: string; to: string }[];
}

/** Per (kind, name): a single version replaced by another is an upgrade; other differences are added/removed versions. */
export function inventoryChanges(previous: InventorySnapshot, current: InventorySnapshot): InventoryChanges {
  const group = (s: InventorySnapshot) => {
    const m = new Map<string, Set<string>>();
    for (const c of s.components) {
      const k = `${c.kind}\u0000${c.name}`;
      if (!m.has(k)) m.set(k, new Set());
      m.get(k)!.add(c.version);
    }
    return m;
  };
  const before = group(previous);
  const after = group(current);
  const out: InventoryChanges = { added: [], removed: [], upgraded: [] };
  for (const key of [...new Set([...before.keys(), ...after.keys()])].sort()) {
    const [kind, name] = key.split('\u0000') as [string, string];
    const was = before.get(key) ?? new Set<string>();
    const now = after.get(key) ?? new Set<string>();
    const gone = [...was].filter((v) => !now.has(v)).sort();
    const came = [...now].filter((v) => !was.has(v)).sort();
    if (gone.length === 1 && came.length === 1) {
      out.upgraded.push({ kind, name, from: gone[0]!, to: came[0]! });
      continue;
    }
    for (const version of came) out.added.push({ kind, name, version });
    for (const version of gone) out.removed.push({ kind, name, version });
  }
  return out;
}
