/** The canvas application: loads the design, wires the canvas, panels, live plan, saving and export. */

import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";

import { CanvasActions } from "./canvas/actions";
import { Canvas } from "./canvas/Canvas";
import { rackBox, snap } from "./canvas/geometry";
import { autoLayout } from "./canvas/layout";
import type { CanvasConfig } from "./config";
import type { PaletteItem } from "./document/catalog";
import { listOf, locate } from "./document/elements";
import { rebase } from "./document/merge";
import { addElement, moveElements } from "./document/operations";
import { PLACED_COLLECTIONS, type DesignDocument, type Device, type Rack } from "./document/types";
import { marksByElement } from "./editor/findings";
import { editorReducer, startEditor } from "./editor/state";
import { useLivePlan } from "./editor/useLivePlan";
import { useShortcuts, type Shortcuts } from "./editor/useShortcuts";
import { ExportPanel } from "./panels/ExportPanel";
import { FindingsPanel } from "./panels/FindingsPanel";
import { Inspector } from "./panels/Inspector";
import { Palette } from "./panels/Palette";
import { PlanPanel } from "./panels/PlanPanel";
import { ConflictDialog, SaveDialog, type Conflict } from "./panels/SaveDialog";
import { StatusBar } from "./panels/StatusBar";
import { Toolbar } from "./panels/Toolbar";
import type { JsonSchema } from "./schema/fields";
import { api, ApiError, configureApi } from "./server/api";
import { clearDraft, readDraft, writeDraft, writeDraftBase } from "./server/draft";
import { followJob } from "./server/jobs";
import type { Job, Revision } from "./server/types";

interface Saved {
  revision: string | number | null;
  doc: DesignDocument;
}

interface Boot {
  schema: JsonSchema;
  saved: Saved;
  start: DesignDocument;
  draftNote: string | null;
}

const DRAFT_DELAY_MS = 400;
const PASTE_OFFSET = { x: 40, y: 40 };

async function boot(config: CanvasConfig): Promise<Boot> {
  configureApi(config.apiRoot, config.csrfToken);
  const [design, schema] = await Promise.all([api.design(config.design), api.schema()]);
  const saved = { revision: design.data.current_revision, doc: design.data.document ?? { version: 1, name: design.data.name } };
  const draft = readDraft(config.design);
  if (!draft) return { schema: schema.data as JsonSchema, saved, start: saved.doc, draftNote: null };
  if (String(draft.base_revision) === String(saved.revision)) {
    return { schema: schema.data as JsonSchema, saved, start: draft.document, draftNote: "restored your unsaved draft" };
  }
  const rebased = rebase(draft.base_document, draft.document, saved.doc);
  return {
    schema: schema.data as JsonSchema, saved, start: rebased.doc,
    draftNote: "your unsaved draft was replayed onto the current revision",
  };
}

export function App({ config }: { config: CanvasConfig }) {
  const [booted, setBooted] = useState<Boot | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    boot(config).then(setBooted, (error: Error) => setFailure(error.message));
  }, [config]);
  if (failure) return <p className="canvas-failure" role="alert">The canvas could not load the design: {failure}</p>;
  if (!booted) return <p className="canvas-loading">Loading the design…</p>;
  return (
    <ReactFlowProvider>
      <Editor config={config} booted={booted} />
    </ReactFlowProvider>
  );
}

type Tab = "inspector" | "findings" | "plan";

function Editor({ config, booted }: { config: CanvasConfig; booted: Boot }) {
  const [state, dispatch] = useReducer(editorReducer, booted.start, startEditor);
  const [saved, setSaved] = useState<Saved>(booted.saved);
  const [tab, setTab] = useState<Tab>("inspector");
  const [focus, setFocus] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [asking, setAsking] = useState(false);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [note, setNote] = useState<string | null>(booted.draftNote);
  const [job, setJob] = useState<Job | null>(null);
  const [exportFailure, setExportFailure] = useState<string | null>(null);
  const [layingOut, setLayingOut] = useState(false);
  const [fitRequest, setFitRequest] = useState(0);
  const stopFollowing = useRef<(() => void) | null>(null);
  // The saved revision whose document the draft in the browser starts from, once it is written there.
  const draftBase = useRef<Saved | null>(null);
  const flow = useReactFlow();

  const doc = state.history.present;
  const editable = config.canEdit;
  const dirty = doc !== saved.doc;
  const live = useLivePlan(doc, saved.revision, tab === "plan");
  const findings = live.plan?.findings;
  const marks = useMemo(() => marksByElement(doc, findings ?? [], live.problems), [doc, findings, live.problems]);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (!dirty) {
        clearDraft(config.design);
        draftBase.current = null;
        return;
      }
      if (draftBase.current !== saved) {
        writeDraftBase(config.design, saved.doc);
        draftBase.current = saved;
      }
      writeDraft(config.design, { base_revision: saved.revision, document: doc, saved_at: new Date().toISOString() });
    }, DRAFT_DELAY_MS);
    return () => clearTimeout(timer);
  }, [config.design, dirty, doc, saved]);

  useEffect(() => () => stopFollowing.current?.(), []);

  const onFirstRender = useCallback(() => {
    performance.mark("weft-canvas-rendered");
    document.body.dataset.canvasRendered = "true";
  }, []);

  const select = useCallback((ids: string[]) => {
    dispatch({ type: "select", ids });
    const nodes = ids.flatMap((id) => {
      const found = locate(doc, id);
      if (found?.collection === "links") {
        const link = found.element as { a: { device: string }; b: { device: string } };
        return [link.a.device, link.b.device];
      }
      return found ? [id] : [];
    });
    if (nodes.length) void flow.fitView({ nodes: nodes.map((id) => ({ id })), duration: 300, padding: 0.5, maxZoom: 1.2 });
  }, [doc, flow]);

  const addFromPalette = useCallback((item: PaletteItem) => {
    const chosen = state.selection.length === 1 ? locate(doc, state.selection[0]) : null;
    const rack = item.kind === "device" && chosen?.collection === "racks" ? (chosen.element as Rack) : undefined;
    let at;
    if (rack) {
      const inRack = listOf<Device>(doc, "devices").filter((device) => device.rack === rack.id);
      const box = rackBox(rack.position, inRack);
      at = snap({ x: box.x + 20 + inRack.length * 240, y: box.y + 44 });
    } else {
      const bounds = document.querySelector(".canvas")?.getBoundingClientRect();
      const center = flow.screenToFlowPosition({ x: (bounds?.left ?? 0) + (bounds?.width ?? 0) / 2, y: (bounds?.top ?? 0) + (bounds?.height ?? 0) / 2 });
      const spread = (listOf(doc, "devices").length % 6) * 40;
      at = snap({ x: center.x - 100 + spread, y: center.y - 60 + spread });
    }
    dispatch({ type: "edit", select: true, change: (current) => addElement(current, item.key, at, rack?.id) });
  }, [doc, flow, state.selection]);

  const save = useCallback(async (message: string) => {
    setAsking(false);
    setSaving(true);
    try {
      const answer = await api.save(config.design, doc, message, saved.revision);
      if (answer.status === 201) {
        setSaved({ revision: (answer.data as Revision).id, doc });
        clearDraft(config.design);
        setNote(`saved revision ${(answer.data as Revision).number}`);
      } else if (answer.status === 409) {
        const remote = (answer.data as { current_revision: Revision }).current_revision;
        setConflict({ remote, rebased: rebase(saved.doc, doc, remote.document) });
      } else {
        const problems = (answer.data as { problems?: { path: string; message: string }[] }).problems ?? [];
        setNote(`not saved: ${problems.map((p) => `${p.path} ${p.message}`).join("; ") || "the server refused the document"}`);
      }
    } catch (error) {
      setNote(`not saved: ${(error as Error).message}`);
    } finally {
      setSaving(false);
    }
  }, [config.design, doc, saved]);

  // The conflict dialog is modal: the document cannot change while it is open, so its rebase still holds.
  const reloadTheirs = useCallback(() => {
    if (!conflict) return;
    setSaved({ revision: conflict.remote.id, doc: conflict.remote.document });
    dispatch({ type: "edit", change: () => conflict.rebased.doc });
    setConflict(null);
    setNote(`reloaded revision ${conflict.remote.number}; your edits are on top of it, not saved yet`);
  }, [conflict]);

  const exportBundle = useCallback(async () => {
    stopFollowing.current?.();
    setExportFailure(null);
    setJob(null);
    try {
      const answer = await api.startExport(config.design, "tar.gz");
      setJob(answer.data.job);
      stopFollowing.current = followJob(answer.data.job, config.websocketRoot, setJob);
    } catch (error) {
      setExportFailure(error instanceof ApiError ? error.message : `the export could not start: ${(error as Error).message}`);
    }
  }, [config.design, config.websocketRoot]);

  const layout = useCallback(async () => {
    setLayingOut(true);
    try {
      const moves = await autoLayout(doc);
      dispatch({ type: "edit", change: (current) => moveElements(current, moves) });
      setFitRequest((count) => count + 1);
    } finally {
      setLayingOut(false);
    }
  }, [doc]);

  const shortcuts: Shortcuts = useMemo(() => ({
    undo: () => dispatch({ type: "undo" }),
    redo: () => dispatch({ type: "redo" }),
    copy: () => dispatch({ type: "copy" }),
    paste: () => dispatch({ type: "paste", offset: PASTE_OFFSET }),
    remove: () => dispatch({ type: "delete" }),
    selectAll: () => dispatch({ type: "select", ids: PLACED_COLLECTIONS
      .flatMap((collection) => listOf<{ id: string }>(doc, collection).map((element) => element.id)) }),
    save: () => editable && setAsking(true),
    layout: () => void layout(),
    fit: () => void flow.fitView({ padding: 0.1, duration: 300 }),
  }), [doc, editable, flow, layout]);
  useShortcuts(shortcuts, editable);

  const canvasActions = useMemo(() => ({
    togglePort: (device: string, nic: string) => dispatch({ type: "toggle-port", device, nic }),
    showFindings: (element: string) => {
      dispatch({ type: "select", ids: [element] });
      setFocus(element);
      setTab("findings");
    },
  }), []);

  const counts = live.plan?.summary;
  return (
    <div className="weft-editor">
      <Toolbar actions={{ ...shortcuts, exportBundle: () => void exportBundle() }} dirty={dirty} saving={saving} layingOut={layingOut}
        can={{
          undo: editable && state.history.past.length > 0, redo: editable && state.history.future.length > 0,
          copy: state.selection.length > 0, paste: editable && state.clipboard !== null, remove: editable && state.selection.length > 0,
          save: editable && dirty, exportBundle: config.canExport,
        }} />
      <Palette disabled={!editable} onAdd={addFromPalette} />
      <CanvasActionsProvider value={canvasActions}>
        <Canvas doc={doc} plan={live.plan} marks={marks} selection={state.selection} ports={state.ports} readOnly={!editable}
          dispatch={dispatch} onFirstRender={onFirstRender} fitRequest={fitRequest} />
      </CanvasActionsProvider>
      <aside className="side" aria-label="Inspector and plan">
        <div className="tabs" role="tablist">
          {(["inspector", "findings", "plan"] as Tab[]).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => { setTab(name); setFocus(null); }}>
              {name === "inspector" ? "Inspector" : name === "plan" ? "Plan" : `Findings${counts ? ` (${counts.errors + counts.warnings})` : ""}`}
            </button>
          ))}
        </div>
        <div className="tab-body" role="tabpanel">
          {tab === "inspector" && <Inspector doc={doc} schema={booted.schema} selection={state.selection} ports={state.ports}
            problems={live.problems} readOnly={!editable} dispatch={dispatch} />}
          {tab === "findings" && <FindingsPanel doc={doc} findings={findings ?? []} problems={live.problems} focus={focus} onSelect={select} />}
          {tab === "plan" && <PlanPanel tables={live.tables} />}
        </div>
        <ExportPanel job={job} failure={exportFailure} dirty={dirty}
          onClose={() => { stopFollowing.current?.(); setJob(null); setExportFailure(null); }} />
      </aside>
      <StatusBar live={live} message={state.message} onDismiss={() => dispatch({ type: "dismiss" })} draftNote={note} />
      <SaveDialog open={asking} onSave={(message) => void save(message)} onClose={() => setAsking(false)} />
      <ConflictDialog conflict={conflict} onReload={reloadTheirs} onClose={() => setConflict(null)} />
    </div>
  );
}

const CanvasActionsProvider = CanvasActions.Provider;
