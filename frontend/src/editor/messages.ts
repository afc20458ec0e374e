/** The messages shown under each field of the inspector: the schema's own checks and the server's problems. */

import { elementOfPath } from "../document/elements";
import type { DesignDocument } from "../document/types";
import { validate, type JsonSchema } from "../schema/fields";
import type { Problem } from "../server/types";

/** Field path (relative to the element, or to the design) -> what is wrong there. */
export type Messages = Map<string, string[]>;

function collect(messages: Messages, path: string, text: string): void {
  messages.set(path, [...(messages.get(path) ?? []), text]);
}

/**
 * Messages for one element (`elementId`), or for the design's own settings (`elementId` null): the server's
 * problems whose path lies in it, then the schema's checks of its value where the server said nothing.
 */
export function fieldMessages(doc: DesignDocument, root: JsonSchema, schema: JsonSchema, value: unknown,
  problems: Problem[], elementId: string | null, skip: Set<string>): Messages {
  const messages: Messages = new Map();
  for (const problem of problems) {
    const text = problem.hint ? `${problem.message} (${problem.hint})` : problem.message;
    const where = elementOfPath(doc, problem.path);
    if (elementId === null && !where) collect(messages, problem.path, text);
    else if (elementId !== null && where?.id === elementId) collect(messages, where.field, text);
  }
  for (const [path, text] of validate(root, schema, withoutSkipped(value, skip))) {
    // A field the form leaves out (an element's id) is still required by the schema: not for the person to fill.
    if (skip.has(path.split(/[.[]/)[0]) || messages.has(path)) continue;
    collect(messages, path, text);
  }
  return messages;
}

/** The value without the fields the form does not show: the design's settings leave every element out. */
function withoutSkipped(value: unknown, skip: Set<string>): unknown {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([name]) => !skip.has(name)));
}
