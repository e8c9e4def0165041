// A Kysely query built and compiled once per SQL dialect, then run with new parameter values.
//
// Why: on the cart's hot path (add to cart, then the cart's lines) building a query's operation
// tree cost as much as SQLite running it (cartOf: ~33 µs to build, ~33 µs to run, on the bench
// database), and a cart write runs five such statements. Kysely compiles a query to SQL plus a
// parameter list but has no way to run that again with other values; no maintained package in
// the registry does either, so this small helper does: the query is built once with placeholder
// values, and each placeholder's slot in the compiled parameter list is filled per run.
//
// Only scalar values may be parameters (a placeholder inside an `in (…)` list or a value Kysely
// inspects while building would not survive); the placeholder test in reusable-query.test.ts holds
// every query built here to "its SQL and values are what a fresh build gives".
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';

type Scalar = string | number | null;

class Placeholder {
  constructor(readonly name: string) {}
}

export interface ReusableQuery<P extends Record<string, Scalar>, R> {
  (db: Kysely<any>, params: P): Promise<QueryResult<R>>;
  /** The query as compiled for `db` with `params` filled in (for the test against a fresh build). */
  compiledFor(db: Kysely<any>, params: P): CompiledQuery<R>;
}

/**
 * `build` receives the database and a stand-in for the parameters: use `p.name` wherever a
 * parameter's value goes. Compiled once per dialect (a transaction shares its database's).
 */
export function reusableQuery<P extends Record<string, Scalar>, R>(build: (db: Kysely<any>, p: P) => Compilable<R>): ReusableQuery<P, R> {
  const byDialect = new Map<unknown, { compiled: CompiledQuery<R>; slots: Array<{ name: string } | { value: unknown }> }>();
  const stand = new Proxy({}, { get: (_target, name) => new Placeholder(String(name)) }) as P;

  function compiledFor(db: Kysely<any>, params: P): CompiledQuery<R> {
    const dialect = db.getExecutor().adapter.constructor;
    let entry = byDialect.get(dialect);
    if (!entry) {
      const compiled = build(db, stand).compile();
      entry = { compiled, slots: compiled.parameters.map((v) => (v instanceof Placeholder ? { name: v.name } : { value: v })) };
      byDialect.set(dialect, entry);
    }
    const values = entry.slots.map((s) => {
      if (!('name' in s)) return s.value;
      if (!(s.name in params)) throw new Error(`reusable query: no value for parameter "${s.name}"`);
      return params[s.name];
    });
    return { ...CompiledQuery.raw(entry.compiled.sql, values), query: entry.compiled.query } as CompiledQuery<R>;
  }

  const run = (async (db: Kysely<any>, params: P) => db.executeQuery(compiledFor(db, params))) as ReusableQuery<P, R>;
  run.compiledFor = compiledFor;
  return run;
}
