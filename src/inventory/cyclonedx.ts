// CycloneDX 1.6 SBOM out (built with @cyclonedx/cyclonedx-library, JSON) and any CycloneDX
// JSON SBOM back in, so `check --sbom` can judge a vendor's server, not only this one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as CDX from '@cyclonedx/cyclonedx-library';
import { PackageURL } from 'packageurl-js';
import { createRequire } from 'node:module';
import type { Component, ComponentKind, Inventory } from './types.ts';
import { INSTALL_ROOT } from '../install-root.ts';

// spdx-expression-parse ships no types; it throws on anything that is not an SPDX expression
const parseSpdx = createRequire(import.meta.url)('spdx-expression-parse') as (s: string) => unknown;

const PROP = 'mamori:';

function projectInfo(): { name: string; version: string } {
  try {
    const pkg = JSON.parse(readFileSync(path.join(INSTALL_ROOT, 'package.json'), 'utf8')) as { name?: string; version?: string };
    return { name: pkg.name ?? 'mamori', version: pkg.version ?? '0.0.0' };
  } catch {
    return { name: 'mamori', version: '0.0.0' };
  }
}

function integrityToHashes(integrity: string): Array<[CDX.Enums.HashAlgorithm, string]> {
  const out: Array<[CDX.Enums.HashAlgorithm, string]> = [];
  for (const part of integrity.split(/\s+/)) {
    const m = /^(sha512|sha384|sha256|sha1)-(.+)$/.exec(part);
    if (!m) continue;
    const alg = { sha512: CDX.Enums.HashAlgorithm['SHA-512'], sha384: CDX.Enums.HashAlgorithm['SHA-384'], sha256: CDX.Enums.HashAlgorithm['SHA-256'], sha1: CDX.Enums.HashAlgorithm['SHA-1'] }[m[1] as 'sha512'];
    out.push([alg, Buffer.from(m[2]!, 'base64').toString('hex')]);
  }
  return out;
}

const TYPE_OF: Record<ComponentKind, CDX.Enums.ComponentType> = {
  runtime: CDX.Enums.ComponentType.Platform,
  'runtime-library': CDX.Enums.ComponentType.Library,
  npm: CDX.Enums.ComponentType.Library,
  os: CDX.Enums.ComponentType.Library,
  system: CDX.Enums.ComponentType.Library,
  database: CDX.Enums.ComponentType.Application,
};

/** Builds the CycloneDX 1.6 BOM model for an inventory. */
export function inventoryToBom(inv: Inventory): CDX.Models.Bom {
  const bom = new CDX.Models.Bom();
  const project = projectInfo();
  bom.metadata.timestamp = new Date(inv.generatedAt);
  bom.metadata.component = new CDX.Models.Component(CDX.Enums.ComponentType.Application, project.name, {
    version: project.version,
    bomRef: `${project.name}@${project.version}`,
  });
  bom.metadata.tools.components.add(new CDX.Models.Component(CDX.Enums.ComponentType.Application, 'mamori inventory', { version: project.version, group: 'mamori' }));
  const mp = bom.metadata.properties;
  mp.add(new CDX.Models.Property(`${PROP}host`, inv.host.hostname));
  if (inv.host.release) mp.add(new CDX.Models.Property(`${PROP}os-release`, inv.host.release));
  if (inv.node) {
    mp.add(new CDX.Models.Property(`${PROP}node:version`, inv.node.version));
    mp.add(new CDX.Models.Property(`${PROP}node:phase`, inv.node.phase));
    mp.add(new CDX.Models.Property(`${PROP}node:eol`, String(inv.node.eol)));
    if (inv.node.endOfLife) mp.add(new CDX.Models.Property(`${PROP}node:end-of-life`, inv.node.endOfLife));
  }
  for (const note of inv.notes) mp.add(new CDX.Models.Property(`${PROP}note`, note));

  const licenseFactory = new CDX.Contrib.License.Factories.LicenseFactory((s: string) => {
    parseSpdx(s);
  });
  const seen = new Set<string>();
  for (const c of inv.components) {
    let ref = `${c.kind}:${c.purl}`;
    for (let i = 2; seen.has(ref); i++) ref = `${c.kind}:${c.purl}#${i}`;
    seen.add(ref);
    const comp = new CDX.Models.Component(TYPE_OF[c.kind], c.name, {
      bomRef: ref,
      version: c.version,
      purl: c.purl,
      ...(c.kind === 'npm' ? { scope: c.dev ? CDX.Enums.ComponentScope.Optional : CDX.Enums.ComponentScope.Required } : {}),
    });
    if (c.license) {
      try {
        comp.licenses.add(licenseFactory.makeFromString(c.license));
      } catch {
        comp.licenses.add(new CDX.Models.NamedLicense(c.license));
      }
    }
    if (c.integrity) for (const [alg, hex] of integrityToHashes(c.integrity)) comp.hashes.set(alg, hex);
    const p = comp.properties;
    p.add(new CDX.Models.Property(`${PROP}kind`, c.kind));
    p.add(new CDX.Models.Property(`${PROP}source`, c.source));
    if (c.direct !== undefined) p.add(new CDX.Models.Property(`${PROP}direct`, String(c.direct)));
    if (c.dev !== undefined) p.add(new CDX.Models.Property(`${PROP}dev`, String(c.dev)));
    if (c.release) p.add(new CDX.Models.Property(`${PROP}release`, c.release));
    if (c.sourceName) p.add(new CDX.Models.Property(`${PROP}source-package`, c.sourceName));
    if (c.managedBy) p.add(new CDX.Models.Property(`${PROP}managed-by`, c.managedBy));
    bom.components.add(comp);
    if (c.direct || c.kind !== 'npm') bom.metadata.component.dependencies.add(comp.bomRef);
  }
  return bom;
}

/** The inventory as a CycloneDX 1.6 JSON document. */
export function inventoryToCycloneDX(inv: Inventory, space = 2): string {
  const serializer = new CDX.Serialize.JsonSerializer(new CDX.Serialize.JSON.Normalize.Factory(CDX.Spec.Spec1dot6));
  return serializer.serialize(inventoryToBom(inv), { sortLists: true, space });
}

/** Validates a CycloneDX JSON document against the schema of its specVersion (the library's ajv validators). */
export async function validateCycloneDX(json: string, opts: { strict?: boolean } = {}): Promise<null | unknown> {
  const doc = JSON.parse(json) as { specVersion?: string };
  const version = Object.values(CDX.Spec.Version).find((v) => v === doc.specVersion);
  if (!version) throw new Error(`unsupported CycloneDX specVersion ${String(doc.specVersion)}`);
  const validator = opts.strict ? new CDX.Validation.JsonStrictValidator(version) : new CDX.Validation.JsonValidator(version);
  return validator.validate(json);
}

export class SbomInputError extends Error {}

interface CdxComponentJson {
  type?: string;
  name?: string;
  group?: string;
  version?: string;
  purl?: string;
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
  hashes?: Array<{ alg?: string; content?: string }>;
  scope?: string;
  properties?: Array<{ name?: string; value?: string }>;
  components?: CdxComponentJson[];
}

const KINDS = new Set<ComponentKind>(['runtime', 'runtime-library', 'npm', 'os', 'system', 'database']);

function fromCdxComponent(c: CdxComponentJson, file: string): Component | null {
  if (!c.name) return null;
  const props = new Map((c.properties ?? []).filter((p) => p.name?.startsWith(PROP)).map((p) => [p.name!.slice(PROP.length), p.value ?? '']));
  const license = c.licenses?.map((l) => l.expression ?? l.license?.id ?? l.license?.name).find(Boolean);
  let ecosystem = 'generic';
  let name = c.group ? `${c.group}/${c.name}` : c.name;
  let version = c.version ?? '';
  let release: string | undefined = props.get('release');
  if (c.purl) {
    let p: PackageURL;
    try {
      p = PackageURL.fromString(c.purl);
    } catch (err) {
      throw new SbomInputError(`${file}: component ${c.name}: invalid purl ${c.purl} (${err instanceof Error ? err.message : String(err)})`);
    }
    ecosystem = p.type === 'deb' ? 'deb' : p.type === 'npm' ? 'npm' : p.type === 'apk' ? 'apk' : p.type === 'rpm' ? 'rpm' : 'generic';
    name = p.type === 'npm' && p.namespace ? `${p.namespace}/${p.name}` : p.name;
    if (ecosystem === 'generic') name = name.toLowerCase();
    version = p.version ?? version;
    const distro = p.qualifiers?.distro;
    if (!release && distro && ecosystem === 'deb') release = /^\d/.test(distro) ? `${p.namespace ?? 'debian'}-${distro}` : distro;
  }
  if (!version) return null;
  const kindProp = props.get('kind') as ComponentKind | undefined;
  const kind: ComponentKind = kindProp && KINDS.has(kindProp) ? kindProp : ecosystem === 'npm' ? 'npm' : ecosystem === 'generic' ? 'system' : 'os';
  const sha512 = c.hashes?.find((h) => h.alg === 'SHA-512')?.content;
  return {
    kind,
    ecosystem,
    name,
    version,
    purl: c.purl ?? `pkg:generic/${encodeURIComponent(name)}@${encodeURIComponent(version)}`,
    ...(license ? { license } : {}),
    ...(sha512 ? { integrity: `sha512-${Buffer.from(sha512, 'hex').toString('base64')}` } : {}),
    ...(props.has('direct') ? { direct: props.get('direct') === 'true' } : {}),
    ...(props.has('dev') ? { dev: props.get('dev') === 'true' } : c.scope === 'optional' && ecosystem === 'npm' ? { dev: true } : {}),
    ...(release ? { release } : {}),
    ...(props.get('source-package') ? { sourceName: props.get('source-package') } : {}),
    ...(props.get('managed-by') ? { managedBy: props.get('managed-by') } : {}),
    source: `${path.basename(file)}${props.get('source') ? ` (${props.get('source')})` : ''}`,
  };
}

/** Reads a CycloneDX JSON SBOM (any spec version) into an inventory. Throws SbomInputError on bad input. */
export async function inventoryFromCycloneDX(json: string, file: string, opts: { validate?: boolean } = {}): Promise<Inventory> {
  let doc: { bomFormat?: string; specVersion?: string; metadata?: { timestamp?: string; properties?: Array<{ name?: string; value?: string }> }; components?: CdxComponentJson[] };
  try {
    doc = JSON.parse(json);
  } catch (err) {
    throw new SbomInputError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  if (doc.bomFormat !== 'CycloneDX') throw new SbomInputError(`${file}: not a CycloneDX SBOM (bomFormat is ${JSON.stringify(doc.bomFormat)})`);
  const notes: string[] = [];
  if (opts.validate !== false) {
    try {
      const err = await validateCycloneDX(json);
      if (err) throw new SbomInputError(`${file}: does not validate against the CycloneDX ${doc.specVersion} schema: ${JSON.stringify(err).slice(0, 400)}`);
    } catch (e) {
      if (e instanceof SbomInputError) throw e;
      notes.push(`sbom: not validated (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  const components: Component[] = [];
  const walk = (list: CdxComponentJson[] | undefined) => {
    for (const c of list ?? []) {
      const comp = fromCdxComponent(c, file);
      if (comp) components.push(comp);
      walk(c.components);
    }
  };
  walk(doc.components);
  const mp = new Map((doc.metadata?.properties ?? []).map((p) => [p.name ?? '', p.value ?? '']));
  const nodeComp = components.find((c) => c.kind === 'runtime' && c.name === 'node');
  const inv: Inventory = {
    generatedAt: doc.metadata?.timestamp ?? new Date().toISOString(),
    host: { hostname: mp.get(`${PROP}host`) ?? `sbom:${path.basename(file)}`, os: 'from SBOM', ...(mp.get(`${PROP}os-release`) ? { release: mp.get(`${PROP}os-release`) } : {}) },
    components,
    notes: [`read from CycloneDX ${doc.specVersion ?? '?'} SBOM ${file}`, ...notes],
  };
  if (nodeComp) {
    const { nodeRuntimeInfo } = await import('./node-runtime.ts');
    const info = nodeRuntimeInfo({ version: nodeComp.version, versions: { ...process.versions, openssl: components.find((c) => c.kind === 'runtime-library' && c.name === 'openssl')?.version ?? '' } });
    inv.node = { ...info, platform: 'unknown', arch: 'unknown', execPath: 'unknown' };
  }
  return inv;
}
