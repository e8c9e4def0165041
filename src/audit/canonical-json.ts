// Canonical JSON for hashing: the same value must always give the same bytes, or a verifier on
// another machine (or after a driver upgrade) would report tampering that never happened.
// Keys are sorted recursively; everything else is what JSON.stringify does (toJSON, dropping
// undefined members, non-finite numbers → null). Hand-written: it is a dozen lines and the
// exact output is part of the audit log's on-disk format, so it must not change with a dependency.

/** Serialises a JSON-compatible value with object keys in code-point order at every depth. */
export function canonicalJson(value: unknown): string {
  const plain: unknown = value === undefined ? null : JSON.parse(JSON.stringify(value) ?? 'null');
  return JSON.stringify(sortKeysDeep(plain));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}
