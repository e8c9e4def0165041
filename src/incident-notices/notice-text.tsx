// Merchant-written plain text as HTML: blank lines make paragraphs, single line breaks <br>.
// (No inline styles: the CSP forbids them.) Every character is escaped by preact.
export function PlainText({ text }: { text: string }) {
  return (
    <>
      {text.split(/\n\s*\n/).map((para) => (
        <p>{para.split('\n').flatMap((line, i) => (i === 0 ? [line] : [<br />, line]))}</p>
      ))}
    </>
  );
}
