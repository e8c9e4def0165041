// How a merchant's legal text is shown: as text, never as HTML. The only formatting is a tiny
// subset read from the plain text — a blank line starts a paragraph, a line break is kept, a line
// "## …" is a heading and lines "- …" are a list — and Preact escapes every character of it, so a
// text holding <script> shows those characters and runs nothing.
type Block = { kind: 'heading'; text: string } | { kind: 'list'; items: string[] } | { kind: 'paragraph'; lines: string[] };

export function legalTextBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const chunk of text.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const lines = chunk.split('\n').map((l) => l.trimEnd()).filter((l) => l.trim() !== '');
    let para: string[] = [];
    let list: string[] = [];
    const flush = () => {
      if (para.length) blocks.push({ kind: 'paragraph', lines: para });
      if (list.length) blocks.push({ kind: 'list', items: list });
      para = [];
      list = [];
    };
    for (const line of lines) {
      const heading = /^##\s+(.+)$/.exec(line);
      const item = /^\s*-\s+(.+)$/.exec(line);
      if (heading) { flush(); blocks.push({ kind: 'heading', text: heading[1]! }); }
      else if (item) { if (para.length) { blocks.push({ kind: 'paragraph', lines: para }); para = []; } list.push(item[1]!); }
      else { if (list.length) { blocks.push({ kind: 'list', items: list }); list = []; } para.push(line); }
    }
    flush();
  }
  return blocks;
}

/** `headingLevel`: 2 on a page whose h1 is the title; 3 inside a section that has its own h2. */
export function LegalText({ text, headingLevel = 2 }: { text: string; headingLevel?: 2 | 3 }) {
  return (
    <>
      {legalTextBlocks(text).map((b) => b.kind === 'heading' ? (headingLevel === 2 ? <h2>{b.text}</h2> : <h3>{b.text}</h3>)
        : b.kind === 'list' ? <ul>{b.items.map((i) => <li>{i}</li>)}</ul>
        : <p>{b.lines.map((l, i) => <>{i > 0 ? <br /> : null}{l}</>)}</p>)}
    </>
  );
}
