/**
 * Test helpers of the Open311 module. A minimal, strict XML reader for checking our GeoReport output: the declaration, elements,
 * self-closing elements and text with the five predefined entities (and numeric references). Throws on
 * anything not well-formed (mismatched or unclosed tags, stray '<' or '&', text outside the root).
 * No attributes, comments, CDATA or DTDs: the GeoReport format uses none of them.
 */

export type XmlElement = { name: string; children: XmlElement[]; text: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, at: number): string {
  if (raw.includes('<')) throw new Error(`'<' in text at ${at}`);
  return raw.replace(/&([^;]*);?/g, (m, ent: string) => {
    if (!m.endsWith(';')) throw new Error(`unterminated entity at ${at}`);
    if (ent in ENTITIES) return ENTITIES[ent];
    const num = /^#(x[0-9a-fA-F]+|[0-9]+)$/.exec(ent);
    if (num) return String.fromCodePoint(num[1][0] === 'x' ? parseInt(num[1].slice(1), 16) : Number(num[1]));
    throw new Error(`unknown entity &${ent}; at ${at}`);
  });
}

/** Parses a document; returns its root element. */
export function parseXml(doc: string): XmlElement {
  let i = 0;
  const decl = /^<\?xml\s+version="1\.0"\s+encoding="utf-8"\?>\s*/i.exec(doc);
  if (!decl) throw new Error('missing XML declaration with encoding="utf-8"');
  i = decl[0].length;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  while (i < doc.length) {
    if (doc[i] === '<') {
      const close = doc[i + 1] === '/';
      const start = i + (close ? 2 : 1);
      const name = NAME.exec(doc.slice(start))?.[0];
      if (!name) throw new Error(`bad tag at ${i}`);
      let j = start + name.length;
      while (doc[j] === ' ' || doc[j] === '\n' || doc[j] === '\t') j++;
      const selfClosing = !close && doc.startsWith('/>', j);
      if (!selfClosing && doc[j] !== '>') throw new Error(`bad tag end at ${j}`);
      i = j + (selfClosing ? 2 : 1);
      if (close) {
        const open = stack.pop();
        if (!open || open.name !== name) throw new Error(`</${name}> does not close <${open?.name ?? 'nothing'}>`);
        if (!stack.length) root = open;
        continue;
      }
      if (root) throw new Error('more than one root element');
      const el: XmlElement = { name, children: [], text: '' };
      if (stack.length) stack[stack.length - 1].children.push(el);
      if (selfClosing) {
        if (!stack.length) root = el;
      } else {
        stack.push(el);
      }
    } else {
      const next = doc.indexOf('<', i);
      const raw = doc.slice(i, next === -1 ? doc.length : next);
      if (!stack.length) {
        if (raw.trim()) throw new Error(`text outside the root at ${i}`);
      } else {
        stack[stack.length - 1].text += decode(raw, i);
      }
      i = next === -1 ? doc.length : next;
    }
  }
  if (stack.length || !root) throw new Error(`unclosed <${stack[stack.length - 1]?.name ?? 'root'}>`);
  return root;
}

/** The child elements with this name. */
export function children(el: XmlElement, name: string): XmlElement[] {
  return el.children.filter((c) => c.name === name);
}

/** The text of the first child with this name (undefined when there is none). */
export function childText(el: XmlElement, name: string): string | undefined {
  return el.children.find((c) => c.name === name)?.text;
}
