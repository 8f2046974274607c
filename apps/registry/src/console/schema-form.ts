import type { SchemaNode } from '../public/portal/present.js';
import { valueListOf } from '../public/portal/present.js';

/**
 * A form generated from a JSON Schema (the declaration's, an assessment's), and the content read
 * back from its posted fields: the schema decides both, so a new field needs no form change.
 * Field names are `f.` and the dotted path, with list indices (`f.legalBasis.0.url`).
 */

export type Control = 'text' | 'textarea' | 'date' | 'number' | 'select' | 'yesno' | 'checkboxes' | 'lines' | 'pair' | 'sha256' | 'group' | 'rows';

export interface FormField {
  /** The posted field's name. */
  name: string;
  /** The element id (and the anchor an error summary links to). */
  id: string;
  /** The schema path without list indices, as labels and help are looked up. */
  path: string;
  label: string;
  help?: string;
  visibility?: string;
  required: boolean;
  control: Control;
  value?: string;
  /** checkboxes: the values ticked; pair: its two values. */
  selected?: string[];
  options?: Array<{ value: string; label: string }>;
  children?: FormField[];
  /** rows: one group of fields per list item, and whether it fits a table (all plain values). */
  rows?: FormField[][];
  table?: boolean;
  /** A table's columns as a CSV header names them (a pair as name.low, name.high). */
  columns?: string[];
  /** The errors reported for this field (plain words). */
  errors: string[];
}

export interface FormLabels {
  /** The label of a schema path under the form's label prefix. */
  label(path: string): string;
  /** The label of an enum value of a value list. */
  value(list: string, value: string): string;
  /** The help of a field in the reader's language, given the schema's (English) description. */
  help?(path: string, english: string | undefined): string | undefined;
}

/** Field errors by content path (`identity.name`, `legalBasis.0.url`), already in plain words. */
export type FieldErrors = Map<string, string[]>;

const FIELD_PREFIX = 'f';
const TEXTAREA_FROM = 600;
const SHA256_PATTERN = '^[0-9a-f]{64}$';

export function formFields(schema: SchemaNode, content: unknown, labels: FormLabels, errors: FieldErrors = new Map()): FormField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, node]) =>
    field(name, name, node, (content as Record<string, unknown> | undefined)?.[name], required.has(name), labels, errors),
  );
}

function field(path: string, at: string, node: SchemaNode, value: unknown, required: boolean, labels: FormLabels, errors: FieldErrors): FormField {
  const base = {
    name: `${FIELD_PREFIX}.${at}`,
    id: `f-${at.replace(/[^A-Za-z0-9]+/g, '-')}`,
    path,
    label: labels.label(path),
    help: labels.help ? labels.help(path, node.description) : node.description,
    visibility: node['x-visibility'],
    required,
    errors: errors.get(at) ?? [],
  };
  if (node.type === 'object') {
    const own = new Set(node.required ?? []);
    const children = Object.entries(node.properties ?? {}).map(([name, child]) =>
      field(`${path}.${name}`, `${at}.${name}`, child, (value as Record<string, unknown> | undefined)?.[name], own.has(name), labels, errors),
    );
    return { ...base, control: 'group', children };
  }
  if (node.type === 'array') return list(base, path, at, node, value, labels, errors);
  if (node.enum) {
    const listName = valueListOf(path);
    const options = node.enum.map((v) => ({ value: String(v), label: listName ? labels.value(listName, String(v)) : String(v) }));
    return { ...base, control: 'select', options, value: value === undefined ? '' : String(value) };
  }
  if (node.type === 'boolean') return { ...base, control: 'yesno', value: value === undefined ? '' : String(value) };
  if (node.type === 'integer' || node.type === 'number') return { ...base, control: 'number', value: value === undefined ? '' : String(value) };
  if (node.format === 'date') return { ...base, control: 'date', value: typeof value === 'string' ? value : '' };
  // The digest of a document that is never uploaded: computed in the browser from the chosen file.
  if (node.pattern === SHA256_PATTERN) return { ...base, control: 'sha256', value: typeof value === 'string' ? value : '' };
  const long = (node.maxLength ?? 0) >= TEXTAREA_FROM;
  return { ...base, control: long ? 'textarea' : 'text', value: value === undefined ? '' : String(value) };
}

function list(base: Omit<FormField, 'control'>, path: string, at: string, node: SchemaNode, value: unknown, labels: FormLabels, errors: FieldErrors): FormField {
  const items = node.items ?? {};
  const values = Array.isArray(value) ? value : [];
  if (items.enum) {
    const listName = valueListOf(path);
    const options = items.enum.map((v) => ({ value: String(v), label: listName ? labels.value(listName, String(v)) : String(v) }));
    return { ...base, control: 'checkboxes', options, selected: values.map(String) };
  }
  if (items.type === 'number' || items.type === 'integer') return { ...base, control: 'pair', selected: [0, 1].map((i) => (values[i] === undefined ? '' : String(values[i]))) };
  if (items.type !== 'object') return { ...base, control: 'lines', value: values.map(String).join('\n') };
  // Every item there is and one empty row to add another (without JavaScript: save, and another appears).
  const own = new Set(items.required ?? []);
  const rows = [...values, undefined].map((row, index) =>
    Object.entries(items.properties ?? {}).map(([name, child]) =>
      field(`${path}.${name}`, `${at}.${index}.${name}`, child, (row as Record<string, unknown> | undefined)?.[name], own.has(name), labels, errors),
    ),
  );
  const table = Object.values(items.properties ?? {}).every((child) => child.type !== 'object' && (child.type !== 'array' || child.items?.type === 'number') && (child.maxLength ?? 0) < TEXTAREA_FROM);
  return { ...base, control: 'rows', rows, table, ...(table ? { columns: csvColumns(items.properties ?? {}) } : {}) };
}

type Posted = Record<string, string | string[] | undefined>;

/** The content a posted form holds, read by the schema: empty fields are left out, so a draft may be partial. */
export function contentFromForm(schema: SchemaNode, body: Posted): Record<string, unknown> {
  return (readObject(schema, FIELD_PREFIX, body) as Record<string, unknown> | undefined) ?? {};
}

function read(node: SchemaNode, name: string, body: Posted): unknown {
  if (node.type === 'object') return readObject(node, name, body);
  if (node.type === 'array') return readList(node, name, body);
  const raw = one(body[name]);
  if (raw === undefined) return undefined;
  const text = node.maxLength !== undefined && node.maxLength >= TEXTAREA_FROM ? raw.replace(/\r\n/g, '\n').trim() : raw.trim();
  if (text === '') return undefined;
  if (node.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  // A number that is not one stays text: the schema then names the field and says what it must be.
  if (node.type === 'integer' || node.type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  return text;
}

function readObject(node: SchemaNode, name: string, body: Posted): Record<string, unknown> | undefined {
  const entries = Object.entries(node.properties ?? {})
    .map(([key, child]) => [key, read(child, `${name}.${key}`, body)] as const)
    .filter(([, value]) => value !== undefined);
  return entries.length ? Object.fromEntries(entries) : undefined;
}

function readList(node: SchemaNode, name: string, body: Posted): unknown[] | undefined {
  const items = node.items ?? {};
  let values: unknown[];
  if (items.enum) {
    const raw = body[name];
    values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v) => v !== '');
  } else if (items.type === 'number' || items.type === 'integer') {
    const pair = [0, 1].map((i) => read(items, `${name}.${i}`, body));
    values = pair.every((v) => v === undefined) ? [] : pair.map((v) => v ?? null);
  } else if (items.type !== 'object') {
    values = (one(body[name]) ?? '').split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  } else {
    const indices = new Set<number>();
    const prefix = `${name}.`;
    for (const key of Object.keys(body)) {
      const match = key.startsWith(prefix) ? /^(\d{1,4})\./.exec(key.slice(prefix.length)) : null;
      if (match) indices.add(Number(match[1]));
    }
    values = [...indices].sort((a, b) => a - b).map((i) => readObject(items, `${name}.${i}`, body)).filter((row) => row !== undefined);
  }
  return values.length ? values : undefined;
}

function one(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/**
 * The API's field errors (`content.identity.name`, with messages such as
 * "content.identity.name is required") by content path, each message put in plain words.
 */
export function fieldErrors(problem: { errors?: unknown }, inWords: (message: string) => string): FieldErrors {
  const byField: FieldErrors = new Map();
  for (const { field, message } of (problem.errors as Array<{ field: string; message: string }> | undefined) ?? []) {
    const path = field.replace(/^content\./, '');
    const text = inWords(message.replace(/^content\./, '').replace(`${path} `, ''));
    byField.set(path, [...(byField.get(path) ?? []), text]);
  }
  return byField;
}

/** The error summary above a form: each field's errors, its label, and the anchor of its input. */
export function errorSummary(errors: FieldErrors, label: (path: string) => string): Array<{ id: string; label: string; message: string }> {
  return [...errors.entries()].map(([path, list]) => ({ id: `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`, label: label(path.replace(/\.\d+(\.|$)/g, '$1')), message: list.join(' ') }));
}

/** A table's rows from CSV (header: the fields' names; a pair as name.low and name.high). */
export class CsvProblem extends Error {}

/**
 * The posted fields of a CSV pasted or uploaded for a list of plain values (e.g. a bias
 * evaluation's per-group figures), as if typed into the table: `f.groups.0.group`, ... The form's
 * reading and the schema's validation then apply unchanged. Replaces the list's rows.
 */
export function csvIntoForm(schema: SchemaNode, listPath: string, csv: string, body: Posted, parse: (text: string) => Array<Record<string, string>>): Posted {
  const node = listPath.split('.').reduce<SchemaNode | undefined>((n, key) => n?.properties?.[key], schema);
  const columns = node?.type === 'array' ? node.items?.properties : undefined;
  if (!columns) throw new CsvProblem(`${listPath} is not a table of this form.`);
  let records: Array<Record<string, string>>;
  try {
    records = parse(csv);
  } catch (error) {
    throw new CsvProblem(`the CSV cannot be read (${(error as Error).message}).`);
  }
  const known = csvColumns(columns);
  const unknown = Object.keys(records[0] ?? {}).filter((column) => !known.includes(column));
  if (unknown.length) throw new CsvProblem(`the column${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not a field of the table (its fields: ${known.join(', ')}).`);
  const prefix = `${FIELD_PREFIX}.${listPath}.`;
  const kept = Object.fromEntries(Object.entries(body).filter(([key]) => !key.startsWith(prefix)));
  records.forEach((record, index) => {
    for (const [column, value] of Object.entries(record)) {
      const name = column.replace(/\.low$/, '.0').replace(/\.high$/, '.1');
      kept[`${prefix}${index}.${name}`] = value;
    }
  });
  return kept;
}

function csvColumns(properties: Record<string, SchemaNode>): string[] {
  return Object.entries(properties).flatMap(([name, child]) => (child.type === 'array' ? [`${name}.low`, `${name}.high`] : [name]));
}
