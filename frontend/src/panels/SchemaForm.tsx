/** A form built from the design's JSON Schema: one input per field, messages under the field they concern. */

import { useId, type KeyboardEvent, type ReactNode } from "react";

import type { Messages } from "../editor/messages";
import { fieldOf, join, label, parseInput, resolve, type Field, type JsonSchema } from "../schema/fields";

interface FormProps {
  root: JsonSchema;
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  messages: Messages;
  path?: string;
  skip?: Set<string>;
  readOnly: boolean;
  /** Values the planner chose for fields left empty, shown in them as placeholders: field name -> value. */
  planned?: Record<string, string>;
}

function set(record: Record<string, unknown>, key: string, value: unknown): Record<string, unknown> {
  const next = { ...record };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

function Notes({ messages, path }: { messages: Messages; path: string }) {
  const here = messages.get(path);
  if (!here?.length) return null;
  return <ul className="field-messages" role="alert">{here.map((text) => <li key={text}>{text}</li>)}</ul>;
}

/** Whether any message lies at or below `path`, to open the part of the form that has it. */
function hasMessages(messages: Messages, path: string): boolean {
  for (const key of messages.keys()) if (key === path || key.startsWith(`${path}.`) || key.startsWith(`${path}[`)) return true;
  return false;
}

/** An input that commits on Enter or leaving it, so typing a word is one edit, not one per letter. */
function TextInput({ id, value, onCommit, readOnly, list, invalid, placeholder }: {
  id: string; value: string; onCommit: (text: string) => void; readOnly: boolean; list?: string; invalid: boolean;
  placeholder?: string;
}) {
  const commit = (text: string) => {
    if (text !== value) onCommit(text);
  };
  return (
    <input id={id} key={value} defaultValue={value} readOnly={readOnly} list={list} aria-invalid={invalid}
      placeholder={placeholder}
      onBlur={(event) => commit(event.currentTarget.value)}
      onKeyDown={(event: KeyboardEvent<HTMLInputElement>) => {
        if (event.key === "Enter") commit(event.currentTarget.value);
      }} />
  );
}

function defaultOf(root: JsonSchema, schema: JsonSchema): unknown {
  const resolved = resolve(root, schema);
  if (resolved.type !== "object" && !resolved.properties) return resolved.default ?? "";
  const value: Record<string, unknown> = {};
  for (const name of resolved.required ?? []) {
    const property = resolve(root, resolved.properties![name]);
    value[name] = property.type === "integer" || property.type === "number" ? (property.minimum ?? 0)
      : property.type === "array" ? [] : "";
  }
  return value;
}

function itemTitle(item: unknown, index: number): string {
  if (item && typeof item === "object") {
    const record = item as Record<string, unknown>;
    for (const key of ["name", "device", "prefix", "parent"]) if (typeof record[key] === "string" && record[key]) return String(record[key]);
  }
  return typeof item === "string" ? item : `#${index + 1}`;
}

function Widget({ root, field, name, value, onChange, messages, path, readOnly, id, fallback, planned }: {
  root: JsonSchema; field: Field; name: string; value: unknown; onChange: (value: unknown) => void;
  messages: Messages; path: string; readOnly: boolean; id: string; fallback: unknown; planned: string | undefined;
}): ReactNode {
  const invalid = messages.has(path);
  const placeholder = planned !== undefined ? `${planned} (planned)`
    : fallback === undefined || fallback === null || fallback === "" ? undefined : `${String(fallback)} (default)`;
  switch (field.kind) {
    case "boolean":
      return <input id={id} type="checkbox" checked={Boolean(value ?? fallback)} disabled={readOnly}
        onChange={(event) => onChange(event.currentTarget.checked)} />;
    case "choice":
      return (
        <select id={id} value={value === undefined || value === null ? "" : String(value)} disabled={readOnly}
          aria-invalid={invalid} onChange={(event) => {
            const picked = field.choices.find((choice) => String(choice) === event.currentTarget.value);
            onChange(picked);
          }}>
          {(field.optional || value === undefined) && <option value="">{placeholder ?? "—"}</option>}
          {field.choices.map((choice) => <option key={String(choice)} value={String(choice)}>{String(choice)}</option>)}
        </select>
      );
    case "object":
      if (value === undefined || value === null) {
        return readOnly ? <span className="muted">none</span>
          : <button type="button" onClick={() => onChange(defaultOf(root, field.schema))}>Add {label(name, field.schema)}</button>;
      }
      return (
        <div className="subform">
          <SchemaForm root={root} schema={field.schema} value={value as Record<string, unknown>} path={path}
            onChange={onChange} messages={messages} readOnly={readOnly} />
          {field.optional && !readOnly && <button type="button" className="link" onClick={() => onChange(undefined)}>Remove</button>}
        </div>
      );
    case "list":
      if (field.scalar) {
        const list = Array.isArray(value) ? value : [];
        const numeric = field.item.type === "integer";
        return <TextInput id={id} value={list.join(", ")} readOnly={readOnly} invalid={invalid || hasMessages(messages, path)}
          onCommit={(text) => onChange(text.split(/[\s,]+/).filter(Boolean).map((part) => (numeric && /^\d+$/.test(part) ? Number(part) : part)))} />;
      }
      return <ListWidget root={root} item={field.item} value={Array.isArray(value) ? value : []} onChange={onChange}
        messages={messages} path={path} readOnly={readOnly} name={label(name, {})} />;
    case "integer-or-choice": {
      const listId = `${id}-choices`;
      return (
        <>
          <TextInput id={id} value={value === undefined || value === null ? "" : String(value)} readOnly={readOnly}
            invalid={invalid} list={listId} placeholder={placeholder} onCommit={(text) => onChange(parseInput(field, text))} />
          <datalist id={listId}>{field.choices.map((choice) => <option key={choice} value={choice} />)}</datalist>
        </>
      );
    }
    default:
      return <TextInput id={id} value={value === undefined || value === null ? "" : String(value)} readOnly={readOnly}
        invalid={invalid} placeholder={placeholder} onCommit={(text) => onChange(parseInput(field, text))} />;
  }
}

function ListWidget({ root, item, value, onChange, messages, path, readOnly, name }: {
  root: JsonSchema; item: JsonSchema; value: unknown[]; onChange: (value: unknown) => void; messages: Messages;
  path: string; readOnly: boolean; name: string;
}) {
  const schema = resolve(root, item);
  const objects = schema.type === "object" || !!schema.properties;
  return (
    <div className="list">
      {value.map((entry, index) => {
        const at = join(path, index);
        const itemValue = objects && typeof entry === "string" ? { device: entry } : entry;
        const flagged = hasMessages(messages, at);
        return (
          <details key={index} className="list-item" open={flagged || undefined}>
            <summary>{itemTitle(entry, index)}{flagged && <span className="badge badge-error">!</span>}</summary>
            <Notes messages={messages} path={at} />
            {objects ? (
              <SchemaForm root={root} schema={schema} value={itemValue as Record<string, unknown>} path={at} readOnly={readOnly}
                messages={messages} onChange={(next) => onChange(value.map((old, i) => (i === index ? next : old)))} />
            ) : null}
            {!readOnly && <button type="button" className="link" aria-label={`Remove ${itemTitle(entry, index)} from ${name}`}
              onClick={() => onChange(value.filter((_, i) => i !== index))}>Remove</button>}
          </details>
        );
      })}
      {!readOnly && <button type="button" onClick={() => onChange([...value, defaultOf(root, item)])}>Add to {name}</button>}
    </div>
  );
}

export function SchemaForm({ root, schema, value, onChange, messages, path = "", skip, readOnly, planned }: FormProps) {
  const prefix = useId();
  const resolved = resolve(root, schema);
  const required = new Set(resolved.required ?? []);
  return (
    <div className="form">
      {Object.entries(resolved.properties ?? {}).filter(([name]) => !skip?.has(name)).map(([name, property]) => {
        const schemaOf = resolve(root, property);
        const field = fieldOf(root, schemaOf, required.has(name));
        const at = join(path, name);
        const id = `${prefix}-${at}`;
        // The property as written: a title of its own, not the one of the definition it refers to.
        const title = label(name, property);
        const nested = field.kind === "object" || (field.kind === "list" && !field.scalar);
        const widget = <Widget root={root} field={field} name={name} value={value[name]} path={at} id={id}
          fallback={schemaOf.default} planned={planned?.[name]}
          readOnly={readOnly} messages={messages} onChange={(next) => onChange(set(value, name, next))} />;
        if (nested) {
          const flagged = hasMessages(messages, at);
          return (
            <details key={name} className="field nested" open={flagged || undefined} data-field={at}>
              <summary>{title}{Array.isArray(value[name]) ? ` (${(value[name] as unknown[]).length})` : ""}
                {flagged && <span className="badge badge-error">!</span>}</summary>
              <Notes messages={messages} path={at} />
              {widget}
            </details>
          );
        }
        return (
          <div key={name} className={`field${messages.has(at) ? " invalid" : ""}`} data-field={at}>
            <label htmlFor={id}>{title}</label>
            {widget}
            <Notes messages={messages} path={at} />
          </div>
        );
      })}
    </div>
  );
}
