// Small read-only helpers over a parse5 tree, shared by the card-field detector and the snapshot.
import { parse, type DefaultTreeAdapterTypes } from 'parse5';

export type HtmlDocument = DefaultTreeAdapterTypes.Document;
export type HtmlElement = DefaultTreeAdapterTypes.Element;
type HtmlNode = DefaultTreeAdapterTypes.Node;

export function parseHtml(html: string): HtmlDocument {
  return parse(html);
}

function isElement(node: HtmlNode): node is HtmlElement {
  return 'tagName' in node;
}

function childrenOf(node: HtmlNode): HtmlNode[] {
  // <template> keeps its children in a separate fragment; a fake form inside one is still markup the page carries.
  if (isElement(node) && node.tagName === 'template' && 'content' in node) return (node as DefaultTreeAdapterTypes.Template).content.childNodes;
  return 'childNodes' in node ? (node.childNodes as HtmlNode[]) : [];
}

/** Every element in document order. */
export function* elementsOf(root: HtmlNode): Generator<HtmlElement> {
  const stack: HtmlNode[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (isElement(node)) yield node;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
}

export function attrOf(el: HtmlElement, name: string): string | undefined {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return undefined;
}

/** The text an element contains (entities already decoded by the parser). */
export function textOf(el: HtmlNode): string {
  let out = '';
  const stack: HtmlNode[] = [el];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.nodeName === '#text') out += (node as DefaultTreeAdapterTypes.TextNode).value;
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
  }
  return out;
}

/** The nearest enclosing element with this tag name, if any. */
export function ancestorOf(el: HtmlElement, tagName: string): HtmlElement | undefined {
  let node = el.parentNode as HtmlNode | null;
  while (node) {
    if (isElement(node) && node.tagName === tagName) return node;
    node = ('parentNode' in node ? node.parentNode : null) as HtmlNode | null;
  }
  return undefined;
}
