import type { FieldView } from './present.js';

/** What one revision says of a field: its value, or that it was withheld and why. */
export interface DiffSide {
  text?: string;
  /** Free text written by the agency, in the declaration's language. */
  free?: boolean;
  redaction?: { reasonLabel: string; reason: string };
}

/** One line of a difference between two revisions: a field, before and after. */
export interface DiffLine {
  label: string;
  before: DiffSide | null;
  after: DiffSide | null;
  /** withheld: redacted in the newer revision; disclosed: redacted in the older one only. */
  change: 'added' | 'removed' | 'changed' | 'withheld' | 'disclosed';
}

interface Entry {
  label: string;
  side: DiffSide;
}

// Entries by field path; a record's fields under "<list path>#<position>/".
type Flat = Map<string, Entry>;

/** The marks that join a label to its value and the parts of a list, as the reader's language writes them (French: "Origine : …"). */
export interface Punctuation {
  colon: string;
  semicolon: string;
}

const ENGLISH: Punctuation = { colon: ':', semicolon: ';' };

/** A readable field-by-field difference between two projections, in schema order. */
export function difference(before: FieldView[], after: FieldView[], punctuation: Punctuation = ENGLISH): DiffLine[] {
  let a = flatten(before);
  let b = flatten(after);
  // A field withheld in one revision stands for all it held in the other: one line, not one per part.
  a = gather(a, b, punctuation);
  b = gather(b, a, punctuation);
  const order = [...new Set([...b.keys(), ...a.keys()])];
  const rank = (key: string) => (b.has(key) ? order.indexOf(key) : [...a.keys()].indexOf(key) + 0.5);
  return order
    .sort((x, y) => rank(x) - rank(y))
    .flatMap((key) => {
      const was = a.get(key);
      const now = b.get(key);
      if (JSON.stringify(was?.side) === JSON.stringify(now?.side)) return [];
      return [{ label: (now ?? was)!.label, before: was?.side ?? null, after: now?.side ?? null, change: kindOf(was?.side, now?.side) }];
    });
}

function kindOf(was: DiffSide | undefined, now: DiffSide | undefined): DiffLine['change'] {
  if (now?.redaction && !was?.redaction) return 'withheld';
  if (was?.redaction && !now?.redaction) return 'disclosed';
  return !was ? 'added' : !now ? 'removed' : 'changed';
}

/** `own` with the fields under each field `other` withholds folded into one entry at its path. */
function gather(own: Flat, other: Flat, { colon, semicolon }: Punctuation): Flat {
  const withheld = [...other].filter(([, entry]) => entry.side.redaction);
  if (!withheld.length) return own;
  const out: Flat = new Map();
  for (const [key, entry] of own) {
    const [path, cover] = withheld.find(([path]) => key.startsWith(`${path}.`) || key.startsWith(`${path}#`)) ?? [];
    if (!path || !cover) {
      out.set(key, entry);
      continue;
    }
    const part = `${entry.label.slice(cover.label.length).replace(/^ › /, '').trim()}${colon} ${textOf(entry.side)}`;
    const held = out.get(path)?.side;
    out.set(path, { label: cover.label, side: { text: held ? `${held.text}${semicolon} ${part}` : part, free: held?.free || entry.side.free } });
  }
  return out;
}

function textOf(side: DiffSide): string {
  return side.redaction ? `${side.redaction.reasonLabel}. ${side.redaction.reason}` : side.text!;
}

function flatten(fields: FieldView[], trail: string[] = [], within = '', out: Flat = new Map()): Flat {
  for (const field of fields) {
    const label = [...trail, field.label].join(' › ');
    const key = within ? `${within}/${field.path}` : field.path;
    switch (field.kind) {
      case 'group':
        flatten(field.children!, [...trail, field.label], within, out);
        break;
      case 'records':
        field.records!.forEach((record, i) => flatten(record, [...trail, `${field.label} ${i + 1}`], `${key}#${i + 1}`, out));
        break;
      case 'list':
        out.set(key, { label, side: { text: field.items!.join('; '), free: field.free } });
        break;
      case 'redacted':
        out.set(key, { label, side: { redaction: field.redaction } });
        break;
      default:
        out.set(key, { label, side: { text: field.text, free: field.free } });
    }
  }
  return out;
}
