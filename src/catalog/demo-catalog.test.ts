import { describe, expect, it } from 'vitest';
import { DEMO_CATEGORIES, DEMO_PRODUCTS, type DemoProduct } from './demo-catalog.ts';
import { renderDemoImageSvg } from './demo-image.ts';

type Motif = DemoProduct['images'][number]['motif'];
const ALL_MOTIFS: Motif[] = ['cup', 'bowl', 'shirt', 'bag', 'box', 'leaf', 'bottle', 'towel'];
const ALLOWED_ELEMENTS = new Set(['svg', 'title', 'rect', 'circle', 'ellipse', 'path', 'polygon']);
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

// Minimal well-formedness check (balanced tags, known elements, quoted attributes);
// enough for our own generated markup, no XML parser dependency needed for a test.
function checkXmlish(svg: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    const between = svg.slice(last, m.index);
    if (/[<>]/.test(between)) problems.push(`stray markup: ${between}`);
    if (/&(?!#\d+;|amp;|lt;|gt;|quot;|apos;)/.test(between)) problems.push(`bare &: ${between}`);
    last = tag.lastIndex;
    const [, closing, name = '', , selfClosing] = m;
    if (!ALLOWED_ELEMENTS.has(name)) problems.push(`element <${name}>`);
    if (closing) {
      if (stack.pop() !== name) problems.push(`unbalanced </${name}>`);
    } else if (!selfClosing) {
      stack.push(name);
    }
  }
  if (svg.slice(last).trim() !== '') problems.push('trailing content');
  if (stack.length) problems.push(`unclosed: ${stack.join(',')}`);
  return problems;
}

describe('demo catalogue data', () => {
  it('has unique, kebab-case category and product slugs', () => {
    const cats = DEMO_CATEGORIES.map((c) => c.slug);
    const prods = DEMO_PRODUCTS.map((p) => p.slug);
    expect(new Set(cats).size).toBe(cats.length);
    expect(new Set(prods).size).toBe(prods.length);
    for (const slug of [...cats, ...prods]) expect(slug).toMatch(KEBAB);
  });

  it('has unique uppercase SKUs', () => {
    const skus = DEMO_PRODUCTS.flatMap((p) => p.variants.map((v) => v.sku));
    expect(new Set(skus).size).toBe(skus.length);
    for (const sku of skus) expect(sku).toMatch(/^[A-Z0-9]+(?:-[A-Z0-9]+)*$/);
  });

  it('gives every product names, descriptions, images and variants in both languages', () => {
    for (const p of DEMO_PRODUCTS) {
      for (const text of [p.nameJa, p.nameEn, p.descriptionJa, p.descriptionEn]) expect(text.trim(), p.slug).not.toBe('');
      expect(p.images.length, p.slug).toBeGreaterThanOrEqual(1);
      expect(p.variants.length, p.slug).toBeGreaterThanOrEqual(1);
      for (const img of p.images) {
        expect(img.altJa.trim(), p.slug).not.toBe('');
        expect(img.altEn.trim(), p.slug).not.toBe('');
        expect(Number.isInteger(img.hue) && img.hue >= 0 && img.hue <= 359, p.slug).toBe(true);
        expect(ALL_MOTIFS).toContain(img.motif);
      }
      for (const v of p.variants) {
        expect(v.nameJa.trim(), v.sku).not.toBe('');
        expect(v.nameEn.trim(), v.sku).not.toBe('');
        expect(Number.isInteger(v.price) && v.price > 0, v.sku).toBe(true);
        expect(Number.isInteger(v.stock) && v.stock >= 0, v.sku).toBe(true);
      }
    }
  });

  it('only references existing categories', () => {
    const cats = new Set(DEMO_CATEGORIES.map((c) => c.slug));
    for (const p of DEMO_PRODUCTS) expect(cats.has(p.category), p.slug).toBe(true);
  });

  it('is big enough to demo, with reduced-rate items, sold-out and low-stock variants', () => {
    expect(DEMO_PRODUCTS.length).toBeGreaterThanOrEqual(10);
    expect(DEMO_PRODUCTS.filter((p) => p.taxRate === 8).length).toBeGreaterThanOrEqual(3);
    const stocks = DEMO_PRODUCTS.flatMap((p) => p.variants.map((v) => v.stock));
    expect(stocks).toContain(0);
    expect(stocks.some((s) => s === 2 || s === 3)).toBe(true);
  });

  it('includes the Uji Matcha Latte at the reduced rate and another matcha product', () => {
    const latte = DEMO_PRODUCTS.find((p) => p.nameJa === '宇治抹茶ラテ');
    expect(latte?.nameEn).toBe('Uji Matcha Latte');
    expect(latte?.taxRate).toBe(8);
    expect(DEMO_PRODUCTS.filter((p) => p.nameJa.includes('抹茶') && p !== latte).length).toBeGreaterThanOrEqual(1);
  });
});

describe('renderDemoImageSvg', () => {
  it.each(ALL_MOTIFS)('renders a small self-contained SVG for %s', (motif) => {
    const svg = renderDemoImageSvg({ altJa: 'テスト', altEn: 'Test', hue: 200, motif }, 'Test image');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('viewBox="0 0 400 400"');
    expect(svg).toContain('width="400"');
    expect(svg).toContain('height="400"');
    expect(svg).toContain('role="img"');
    expect(svg).toContain('<title>Test image</title>');
    expect(svg).toContain('hsl(200,');
    expect(svg).not.toMatch(/<script/i);
    expect(svg).not.toMatch(/foreignObject|href=/i);
    expect(svg.replace('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/http/i);
    expect(Buffer.byteLength(svg, 'utf8')).toBeLessThan(3 * 1024);
    expect(checkXmlish(svg)).toEqual([]);
  });

  it('renders every image in the catalogue with its own label', () => {
    for (const p of DEMO_PRODUCTS) {
      for (const img of p.images) {
        const svg = renderDemoImageSvg(img, img.altJa);
        expect(svg).toContain(`<title>${img.altJa}</title>`);
        expect(checkXmlish(svg), p.slug).toEqual([]);
      }
    }
  });

  it('escapes markup characters in the label', () => {
    const svg = renderDemoImageSvg({ altJa: 'x', altEn: 'x', hue: 10, motif: 'cup' }, `<script>&"'</script>`);
    expect(svg).not.toContain('<script');
    expect(svg).not.toMatch(/&(?!#\d+;)/);
    expect(svg).toContain('<title>&#60;script&#62;&#38;&#34;&#39;&#60;/script&#62;</title>');
    expect(checkXmlish(svg)).toEqual([]);
  });

  it('wraps out-of-range hues into 0-359', () => {
    expect(renderDemoImageSvg({ altJa: 'x', altEn: 'x', hue: 370, motif: 'leaf' }, 'x')).toContain('hsl(10,');
    expect(renderDemoImageSvg({ altJa: 'x', altEn: 'x', hue: -20, motif: 'leaf' }, 'x')).toContain('hsl(340,');
  });
});
