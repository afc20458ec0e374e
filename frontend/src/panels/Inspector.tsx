/** The inspector: edits the selected element (or the design itself) through a form made from the schema. */

import { useMemo, useState } from "react";

import { deviceById, locate } from "../document/elements";
import { bondNics, updateElement, updateSettings } from "../document/operations";
import { DRAWN_COLLECTIONS, type BondMode, type DesignDocument, type Element } from "../document/types";
import type { EditorAction, PortSelection } from "../editor/state";
import { fieldMessages } from "../editor/messages";
import { elementSchema, type JsonSchema } from "../schema/fields";
import type { PlannedDevice, Problem } from "../server/types";
import { SchemaForm } from "./SchemaForm";

const KIND: Record<string, string> = {
  racks: "Rack", devices: "Device", links: "Cable", networks: "Network", vrfs: "VRF", wireguard: "WireGuard mesh",
};
const BOND_MODES: BondMode[] = ["802.3ad", "active-backup", "balance-xor"];
const SETTINGS_SKIP = new Set<string>([...DRAWN_COLLECTIONS, "version"]);
const ELEMENT_SKIP = new Set(["id", "position"]);

interface InspectorProps {
  doc: DesignDocument;
  schema: JsonSchema | null;
  selection: string[];
  ports: PortSelection | null;
  problems: Problem[];
  /** The live plan's devices, for the values it chose where the document leaves them to it. */
  planned: Record<string, PlannedDevice> | undefined;
  readOnly: boolean;
  dispatch: (action: EditorAction) => void;
}

function plannedFields(device: PlannedDevice | undefined): Record<string, string> | undefined {
  if (!device) return undefined;
  return Object.fromEntries([["asn", device.asn], ["loopback_v4", device.loopback_v4]]
    .filter(([, value]) => value !== null && value !== undefined).map(([field, value]) => [field, String(value)]));
}

function BondBox({ doc, ports, dispatch }: { doc: DesignDocument; ports: PortSelection; dispatch: InspectorProps["dispatch"] }) {
  const [mode, setMode] = useState<BondMode>("802.3ad");
  const device = deviceById(doc, ports.device);
  return (
    <section className="bond-box" aria-label="Bond NICs">
      <h3>Bond NICs of {device?.name ?? ports.device}</h3>
      <p>Chosen: {ports.nics.join(", ")}{ports.nics.length < 2 ? " (choose one more NIC on the device)" : ""}</p>
      <label htmlFor="bond-mode">Mode</label>
      <select id="bond-mode" value={mode} onChange={(event) => setMode(event.currentTarget.value as BondMode)}>
        {BOND_MODES.map((choice) => <option key={choice}>{choice}</option>)}
      </select>
      <button type="button" className="primary" disabled={ports.nics.length < 2}
        onClick={() => dispatch({ type: "edit", change: (current) => bondNics(current, ports.device, ports.nics, mode) })}>
        Bond {ports.nics.length} NICs
      </button>
      <button type="button" className="link" onClick={() => dispatch({ type: "select", ids: [ports.device] })}>Clear</button>
    </section>
  );
}

export function Inspector({ doc, schema, selection, ports, problems, planned, readOnly, dispatch }: InspectorProps) {
  const found = selection.length === 1 ? locate(doc, selection[0]) : null;
  const elementSchemaOf = useMemo(() => (schema && found ? elementSchema(schema, found.collection) : null), [schema, found?.collection]);
  if (!schema) return <p className="muted">Loading the document schema…</p>;
  if (selection.length > 1) {
    return (
      <div className="inspector">
        <h2>{selection.length} selected</h2>
        {!readOnly && <button type="button" onClick={() => dispatch({ type: "delete" })}>Delete them</button>}
      </div>
    );
  }
  if (found && elementSchemaOf) {
    const element = found.element;
    const messages = fieldMessages(doc, schema, elementSchemaOf, element, problems, element.id, ELEMENT_SKIP);
    const topMessages = messages.get("") ?? [];
    return (
      <div className="inspector" data-testid="inspector" data-element={element.id}>
        <h2>{KIND[found.collection]} <span className="element-name">{(element as { name?: string }).name || element.id}</span></h2>
        <p className="muted">id {element.id}</p>
        {topMessages.length > 0 && <ul className="field-messages" role="alert">{topMessages.map((t) => <li key={t}>{t}</li>)}</ul>}
        {ports && ports.device === element.id && !readOnly && <BondBox doc={doc} ports={ports} dispatch={dispatch} />}
        <SchemaForm root={schema} schema={elementSchemaOf} value={element as Record<string, unknown>} skip={ELEMENT_SKIP}
          messages={messages} readOnly={readOnly} planned={found.collection === "devices" ? plannedFields(planned?.[element.id]) : undefined}
          onChange={(next) => dispatch({ type: "edit", change: (current) => updateElement(current, element.id, next as Element) })} />
        {!readOnly && <button type="button" className="danger" onClick={() => dispatch({ type: "delete" })}>Delete {KIND[found.collection].toLowerCase()}</button>}
      </div>
    );
  }
  const messages = fieldMessages(doc, schema, schema, doc, problems, null, SETTINGS_SKIP);
  return (
    <div className="inspector" data-testid="inspector" data-element="">
      <h2>Design settings</h2>
      <p className="muted">Select an element on the canvas to edit it; these apply to the whole design.</p>
      <SchemaForm root={schema} schema={schema} value={doc as Record<string, unknown>} skip={SETTINGS_SKIP} messages={messages}
        readOnly={readOnly} onChange={(next) => dispatch({ type: "edit", change: (current) => updateSettings(current, next) })} />
    </div>
  );
}
