// Shared shell of every gateway page: no external resources at all, one inline
// stylesheet allowed by the per-response CSP nonce, no scripts.
import type { ComponentChildren, VNode } from 'preact';
import { render } from 'preact-render-to-string';
import type { Locale } from './hosted-page-messages.ts';

const STYLESHEET = `
:root { color-scheme: light; --fg: #1a1a1a; --muted: #555; --accent: #0b5cad; --error: #b00020; --border: #8a8a8a; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, "Hiragino Sans", "Noto Sans JP", sans-serif; color: var(--fg); background: #f4f5f7; }
.page { max-width: 30rem; margin: 2rem auto; padding: 1.5rem; background: #fff; border: 1px solid #d0d4da; border-radius: .5rem; }
.sandbox { margin: 0 0 1rem; padding: .5rem .75rem; background: #fff4ce; border: 1px solid #b38f00; border-radius: .25rem; font-size: .875rem; }
.lang { text-align: right; font-size: .875rem; margin-bottom: .5rem; }
.lang a { margin-left: .75rem; }
h1 { font-size: 1.375rem; margin: 0 0 1rem; }
dl.summary { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 0 0 1.5rem; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; }
.amount { font-size: 1.5rem; font-weight: 700; }
fieldset { border: 0; padding: 0; margin: 0; }
legend { font-weight: 700; margin-bottom: .5rem; }
.field { margin-bottom: 1rem; }
label { display: block; font-weight: 600; margin-bottom: .25rem; }
input[type=text] { width: 100%; padding: .625rem; font-size: 1.0625rem; border: 1px solid var(--border); border-radius: .25rem; }
input[aria-invalid=true] { border: 2px solid var(--error); }
input:focus { outline: 3px solid #7aa7e0; outline-offset: 1px; }
.hint { color: var(--muted); font-size: .875rem; margin: .25rem 0 0; }
.field-error { color: var(--error); font-weight: 600; margin: .25rem 0 0; }
.error-summary { border: 2px solid var(--error); border-radius: .25rem; padding: .75rem 1rem; margin-bottom: 1rem; }
.error-summary p { margin: 0 0 .25rem; font-weight: 700; }
.error-summary a { color: var(--error); }
.actions { display: flex; align-items: center; justify-content: space-between; gap: 1rem; margin-top: 1.5rem; }
button { font: inherit; font-weight: 700; padding: .75rem 2rem; color: #fff; background: var(--accent); border: 0; border-radius: .25rem; cursor: pointer; }
button:focus { outline: 3px solid #7aa7e0; outline-offset: 2px; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; font-size: .875rem; }
th, td { text-align: left; border-bottom: 1px solid #d0d4da; padding: .25rem .5rem; vertical-align: top; }
.wide { max-width: 72rem; }
`;

export function PageLayout(props: { lang: Locale; title: string; nonce: string; wide?: boolean; children: ComponentChildren }): VNode {
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{props.title}</title>
        <style nonce={props.nonce} dangerouslySetInnerHTML={{ __html: STYLESHEET }} />
      </head>
      <body>
        <main class={props.wide ? 'page wide' : 'page'}>{props.children}</main>
      </body>
    </html>
  );
}

export function renderHtmlDocument(page: VNode): string {
  return `<!doctype html>${render(page)}`;
}
