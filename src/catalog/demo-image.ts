// Flat placeholder illustrations for the demo catalogue, so a fresh shop has images without shipping binaries.
import type { DemoProduct } from './demo-catalog.ts';

type DemoImage = DemoProduct['images'][number];
type Motif = DemoImage['motif'];

// Hand-written: escaping five characters does not justify a dependency.
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

// `main` is the strong shade, `dark` the shaded side, `light` a highlight, `bg` the page tint.
interface Palette { bg: string; main: string; dark: string; light: string }

function motifShapes(motif: Motif, c: Palette): string {
  switch (motif) {
    case 'cup':
      return `<path d="M265 175a42 42 0 0 1 0 84" fill="none" stroke="${c.dark}" stroke-width="18"/>`
        + `<ellipse cx="195" cy="305" rx="115" ry="16" fill="${c.dark}"/>`
        + `<path d="M115 150H275V245Q275 300 220 300H170Q115 300 115 245Z" fill="${c.main}"/>`
        + `<ellipse cx="195" cy="150" rx="80" ry="12" fill="${c.light}"/>`;
    case 'bowl':
      return `<rect x="160" y="290" width="80" height="22" rx="4" fill="${c.dark}"/>`
        + `<path d="M70 180Q70 300 200 300Q330 300 330 180Z" fill="${c.main}"/>`
        + `<ellipse cx="200" cy="180" rx="130" ry="28" fill="${c.light}"/>`;
    case 'shirt':
      return `<polygon points="150,90 250,90 320,140 290,195 265,175 265,320 135,320 135,175 110,195 80,140" fill="${c.main}"/>`
        + `<path d="M170 90Q200 130 230 90Z" fill="${c.bg}"/>`
        + `<rect x="135" y="300" width="130" height="20" fill="${c.dark}"/>`;
    case 'bag':
      return `<path d="M150 170V125Q150 90 185 90H215Q250 90 250 125V170" fill="none" stroke="${c.dark}" stroke-width="14"/>`
        + `<rect x="105" y="160" width="190" height="180" rx="10" fill="${c.main}"/>`
        + `<rect x="105" y="160" width="190" height="26" rx="6" fill="${c.dark}"/>`;
    case 'box':
      return `<polygon points="200,90 320,150 200,210 80,150" fill="${c.light}"/>`
        + `<polygon points="80,150 200,210 200,330 80,270" fill="${c.main}"/>`
        + `<polygon points="200,210 320,150 320,270 200,330" fill="${c.dark}"/>`;
    case 'leaf':
      return `<path d="M200 70Q330 170 200 320Q70 170 200 70Z" fill="${c.main}"/>`
        + `<path d="M200 100V340M200 170L245 135M200 220L150 180M200 260L240 225" fill="none" stroke="${c.light}" stroke-width="6" stroke-linecap="round"/>`;
    case 'bottle':
      return `<rect x="178" y="70" width="44" height="22" rx="4" fill="${c.dark}"/>`
        + `<rect x="182" y="90" width="36" height="55" fill="${c.main}"/>`
        + `<path d="M150 175Q150 140 185 140H215Q250 140 250 175V320Q250 335 235 335H165Q150 335 150 320Z" fill="${c.main}"/>`
        + `<rect x="162" y="210" width="76" height="75" rx="4" fill="${c.light}"/>`;
    case 'towel':
      return `<rect x="80" y="110" width="240" height="200" rx="6" fill="${c.main}"/>`
        + `<rect x="80" y="130" width="240" height="10" fill="${c.light}"/>`
        + `<rect x="80" y="280" width="240" height="10" fill="${c.light}"/>`
        + `<polygon points="200,170 240,210 200,250 160,210" fill="${c.light}"/>`
        + `<rect x="80" y="300" width="240" height="10" fill="${c.dark}"/>`;
  }
}

export function renderDemoImageSvg(image: DemoProduct['images'][number], label: string): string {
  // Clamp so a bad hue in seed data still yields a valid colour.
  const hue = ((Math.round(image.hue) % 360) + 360) % 360;
  const palette: Palette = {
    bg: `hsl(${hue},60%,93%)`,
    main: `hsl(${hue},55%,42%)`,
    dark: `hsl(${hue},55%,30%)`,
    light: `hsl(${hue},60%,75%)`,
  };
  const title = escapeXml(label);
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 400" width="400" height="400" role="img" aria-label="${title}">`
    + `<title>${title}</title>`
    + `<rect width="400" height="400" fill="${palette.bg}"/>`
    + `<ellipse cx="200" cy="350" rx="140" ry="14" fill="hsl(${hue},35%,82%)"/>`
    + motifShapes(image.motif, palette)
    + `</svg>`;
}
