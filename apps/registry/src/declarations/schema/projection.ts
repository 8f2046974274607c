import { DECLARATION_SCHEMA, type Visibility } from './declaration.schema.js';

type SchemaNode = { properties?: Record<string, SchemaNode>; items?: SchemaNode; 'x-visibility'?: Visibility };

/**
 * The part of a declaration's content that the given visibility levels may see, decided by the
 * schema's x-visibility alone (redactions come on top, with the public view). A field without a
 * level in the schema is never shown.
 */
export function projectContent(content: unknown, levels: readonly Visibility[], schema: SchemaNode = DECLARATION_SCHEMA as SchemaNode): unknown {
  return project(content, schema, new Set(levels));
}

function project(value: unknown, node: SchemaNode, levels: Set<Visibility>): unknown {
  if (Array.isArray(value)) return node.items ? value.map((item) => project(item, node.items!, levels)) : value;
  if (value === null || typeof value !== 'object' || !node.properties) return value;
  const out: Record<string, unknown> = {};
  for (const [name, child] of Object.entries(value as Record<string, unknown>)) {
    const field = node.properties[name];
    const visibility = field?.['x-visibility'];
    if (!field || !visibility || !levels.has(visibility)) continue;
    out[name] = project(child, field, levels);
  }
  return out;
}

/** A restricted field withheld from the public, and why (PRODUCT.md "Field visibility"). */
export interface Redaction {
  field: string;
  reasonCode: string;
  reason: string;
}

/** What the public may see of a published revision: public fields and unredacted restricted ones. */
export function publicContent(content: unknown, redactions: readonly Redaction[] = []): unknown {
  const projected = projectContent(content, ['public', 'restricted']);
  for (const { field } of redactions) {
    const steps = field.split('.');
    const last = steps.pop()!;
    let node = projected as Record<string, unknown> | undefined;
    for (const step of steps) node = node?.[step] as Record<string, unknown> | undefined;
    if (node && typeof node === 'object') delete node[last];
  }
  return projected;
}
