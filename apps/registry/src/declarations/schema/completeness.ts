import type { FieldError } from '../../http/problem.js';

/**
 * What a draft still lacks before it can be submitted: every required field of the schema
 * that its content does not hold, named down to the leaves. Ajv stops at the first missing
 * object ("identity is required"); a clerk filling a 95-field declaration over days needs the
 * whole list, so a missing section is named by the fields it requires.
 */

interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  required?: readonly string[];
  items?: SchemaNode;
  minItems?: number;
}

export function missingFields(schema: object, content: unknown): FieldError[] {
  const out: FieldError[] = [];
  walk(schema as SchemaNode, content, '', out);
  return out;
}

function walk(node: SchemaNode, value: unknown, path: string, out: FieldError[]): void {
  if (Array.isArray(value)) {
    if (node.minItems && value.length < node.minItems) out.push(tooFew(path, node.minItems));
    if (node.items?.properties) value.forEach((item, i) => walk(node.items!, item, `${path}.${i}`, out));
    return;
  }
  if (!node.properties || typeof value !== 'object' || value === null) return;
  const record = value as Record<string, unknown>;
  for (const [name, child] of Object.entries(node.properties)) {
    const childPath = path ? `${path}.${name}` : name;
    const required = node.required?.includes(name) ?? false;
    if (record[name] !== undefined) walk(child, record[name], childPath, out);
    else if (required) absent(child, childPath, out);
  }
}

/** A required field that is not there: a section is named by what it requires, a list by its minimum. */
function absent(node: SchemaNode, path: string, out: FieldError[]): void {
  if (node.type === 'array') {
    out.push(node.minItems ? tooFew(path, node.minItems) : { field: path, message: `${path} is required` });
    return;
  }
  const before = out.length;
  if (node.properties) walk(node, {}, path, out);
  if (out.length === before) out.push({ field: path, message: `${path} is required` });
}

function tooFew(path: string, min: number): FieldError {
  return { field: path, message: `${path} needs at least ${min} ${min === 1 ? 'entry' : 'entries'}` };
}

/** The same schema with nothing required and no list minimum: what a draft is checked against. */
export function draftSchemaOf<T extends object>(schema: T, id: string): T {
  return { ...(optional(schema) as T), $id: id };
}

const SUBSCHEMAS = new Set(['items', 'if', 'then', 'else', 'not']);
const SUBSCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf']);

function optional(node: object): object {
  const copy: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(node)) {
    if (key === 'required' || key === 'minItems') continue;
    if (key === 'properties') copy[key] = Object.fromEntries(Object.entries(child as object).map(([name, c]) => [name, optional(c as object)]));
    else if (SUBSCHEMAS.has(key)) copy[key] = optional(child as object);
    else if (SUBSCHEMA_LISTS.has(key)) copy[key] = (child as object[]).map(optional);
    else copy[key] = child;
  }
  return copy;
}
