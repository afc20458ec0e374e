/** The canvas application: loads the design, wires the canvas, panels, live plan, saving and export. */

import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from "react";

import { CanvasActions } from "./canvas/actions";
import { Canvas, FIT_PADDING } from "./canvas/Canvas";
import { autoLayout, warmLayout } from "./canvas/layout";
import { addPlaced } from "./canvas/placement";
import type { CanvasConfig } from "./config";
import type { PaletteItem } from "./document/catalog";
import { listOf, locate } from "./document/elements";
import { moveElements } from "./document/operations";
import { PLACED_COLLECTIONS } from "./document/types";
import { boot, type Boot, type Opening } from "./editor/boot";
import { marksByElement } from "./editor/findings";
import { useNotices, type Notice } from "./editor/notices";
import { editorReducer, startEditor } from "./editor/state";
import { useDraft } from "./editor/useDraft";
import { useLivePlan } from "./editor/useLivePlan";
import { useRevisions } from "./editor/useRevisions";
import { useShortcuts, type Shortcuts } from "./editor/useShortcuts";
import { ExportPanel } from "./panels/ExportPanel";
import { FindingsPanel } from "./panels/FindingsPanel";
import { Inspector } from "./panels/Inspector";
import { NoticeStack } from "./panels/NoticeStack";
import { Palette } from "./panels/Palette";
import { PlanPanel } from "./panels/PlanPanel";
import { ConflictDialog, SaveDialog } from "./panels/SaveDialog";
import { StatusBar } from "./panels/StatusBar";
import { Toolbar } from "./panels/Toolbar";
import { api, ApiError } from "./server/api";
import { followJob, isFinished } from "./server/jobs";
import type { Job } from "./server/types";

const PASTE_OFFSET = { x: 40, y: 40 };

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

function openingNotice(opening: Opening, editable: boolean, discard: () => void): Notice | null {
  switch (opening) {
    case "draft":
    case "draft-replayed":
      return {
        key: "draft", tone: "warning", lasting: true,
        text: opening === "draft" ? "Restored the unsaved draft of this tab."
          : "The unsaved draft of this tab was replayed onto the current revision.",
        actions: [{ label: "Discard draft", run: discard }],
      };
    case "laid-out":
      return { key: "draft", tone: "info", lasting: editable,
        text: `Laid out on opening: some elements had no place, or overlapped.${editable ? " Save to keep this layout." : ""}` };
    default:
      return null;
  }
}

function Editor({ config, booted }: { config: CanvasConfig; booted: Boot }) {
  const [state, dispatch] = useReducer(editorReducer, booted.start, startEditor);
  const [tab, setTab] = useState<Tab>("inspector");
  const [focus, setFocus] = useState<string | null>(null);
  const [asking, setAsking] = useState(false);
  const [job, setJob] = useState<Job | null>(null);
  const [exportFailure, setExportFailure] = useState<string | null>(null);
  const [layingOut, setLayingOut] = useState(false);
  const [fitRequest, setFitRequest] = useState(0);
  const stopFollowing = useRef<(() => void) | null>(null);
  const flow = useReactFlow();
  const { notices, notify, dismiss } = useNotices();

  const doc = state.history.present;
  const editable = config.canEdit;
  const revisions = useRevisions({ config, start: booted.saved, doc, dispatch, notify });
  const { saved } = revisions;
  const dirty = doc !== saved.doc;
  useDraft(config.design, saved, doc, editable);
  const live = useLivePlan(doc, saved.revision, tab === "plan");
  // While problems stop the plan, the last plan's findings may name what is gone: only the problems are shown.
  const findings = useMemo(() => (live.problems.length ? [] : live.plan?.findings ?? []), [live.plan, live.problems]);
  const marks = useMemo(() => marksByElement(doc, findings, live.problems), [doc, findings, live.problems]);

  const discard = useCallback(() => {
    dispatch({ type: "edit", change: () => saved.doc });
    dismiss("draft");
    notify({ key: "discarded", tone: "info", text: "Discarded the unsaved edits; Undo brings them back." });
  }, [dismiss, notify, saved.doc]);

  useEffect(() => {
    const notice = openingNotice(booted.opening, editable, discard);
    if (notice) notify(notice);
  }, []); // told once, on opening

  useEffect(() => {
    if (state.message) notify({ key: "refused", tone: "error", text: state.message });
  }, [notify, state.message, state.refusals]);

  useEffect(() => () => stopFollowing.current?.(), []);

  const onFirstRender = useCallback(() => {
    performance.mark("weft-canvas-rendered");
    document.body.dataset.canvasRendered = "true";
    if (editable) warmLayout();
  }, [editable]);

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
    const rack = item.kind === "device" && chosen?.collection === "racks" ? chosen.element.id : undefined;
    const bounds = document.querySelector(".canvas")?.getBoundingClientRect();
    const middle = flow.screenToFlowPosition({ x: (bounds?.left ?? 0) + (bounds?.width ?? 0) / 2,
      y: (bounds?.top ?? 0) + (bounds?.height ?? 0) / 2 });
    dispatch({ type: "edit", select: true, change: (current) => addPlaced(current, item.key, middle, rack) });
  }, [doc, flow, state.selection]);

  const save = useCallback((message: string) => {
    setAsking(false);
    void revisions.save(message);
  }, [revisions]);

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

  useEffect(() => {
    if (!job || !isFinished(job) || !job.result?.download_url) return;
    notify({ key: "export", tone: "success", lasting: true, text: `The bundle of revision ${saved.number ?? ""} is ready.`,
      link: { href: job.result.download_url, label: "Download the bundle" } });
  }, [job, notify, saved.number]);

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
    fit: () => void flow.fitView({ padding: FIT_PADDING, duration: 300, maxZoom: 1 }),
  }), [doc, editable, flow, layout]);
  useShortcuts(shortcuts, editable);

  const canvasActions = useMemo(() => ({
    togglePort: (device: string, nic: string) => {
      dispatch({ type: "toggle-port", device, nic });
      setTab("inspector"); // where the bond is made
    },
    showFindings: (element: string) => {
      dispatch({ type: "select", ids: [element] });
      setFocus(element);
      setTab("findings");
    },
  }), []);

  const counts = live.plan?.summary;
  const flagged = live.problems.length || (counts ? counts.errors + counts.warnings : 0);
  return (
    <div className={`weft-editor${tab === "plan" ? " plan-open" : ""}`}>
      <Toolbar actions={{ ...shortcuts, exportBundle: () => void exportBundle(), discard }} dirty={dirty} saving={revisions.saving}
        layingOut={layingOut} revision={saved.number} editable={editable}
        can={{
          undo: editable && state.history.past.length > 0, redo: editable && state.history.future.length > 0,
          copy: state.selection.length > 0, paste: editable && state.clipboard !== null, remove: editable && state.selection.length > 0,
          save: editable && dirty, exportBundle: config.canExport, discard: editable && dirty,
        }} />
      <Palette disabled={!editable} onAdd={addFromPalette} />
      <CanvasActionsProvider value={canvasActions}>
        <Canvas doc={doc} plan={live.plan} marks={marks} selection={state.selection} ports={state.ports} readOnly={!editable}
          dispatch={dispatch} onFirstRender={onFirstRender} fitRequest={fitRequest} />
      </CanvasActionsProvider>
      <NoticeStack notices={notices} onDismiss={(key) => {
        dismiss(key);
        if (key === "refused") dispatch({ type: "dismiss" });
      }} />
      <aside className="side" aria-label="Inspector and plan">
        <div className="tabs" role="tablist">
          {(["inspector", "findings", "plan"] as Tab[]).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} onClick={() => { setTab(name); setFocus(null); }}>
              {name === "inspector" ? "Inspector" : name === "plan" ? "Plan" : `Findings${counts || live.problems.length ? ` (${flagged})` : ""}`}
            </button>
          ))}
        </div>
        <div className="tab-body" role="tabpanel">
          {tab === "inspector" && <Inspector doc={doc} schema={booted.schema} selection={state.selection} ports={state.ports}
            problems={live.problems} planned={live.plan?.devices} readOnly={!editable} dispatch={dispatch} />}
          {tab === "findings" && <FindingsPanel doc={doc} findings={findings} problems={live.problems} focus={focus} onSelect={select} />}
          {tab === "plan" && <PlanPanel tables={live.problems.length ? [] : live.tables} />}
        </div>
        <ExportPanel job={job} failure={exportFailure} dirty={dirty}
          onClose={() => { stopFollowing.current?.(); setJob(null); setExportFailure(null); dismiss("export"); }} />
      </aside>
      <StatusBar live={live} />
      <SaveDialog open={asking} onSave={save} onClose={() => setAsking(false)} />
      <ConflictDialog conflict={revisions.conflict} onReload={revisions.reloadTheirs} onClose={revisions.closeConflict} />
    </div>
  );
}

const CanvasActionsProvider = CanvasActions.Provider;
