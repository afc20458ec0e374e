/** The drawing surface: React Flow showing the design, turning drags and drawn lines into document edits. */

import {
  ConnectionMode,
  Controls,
  MiniMap,
  ReactFlow,
  applyNodeChanges,
  getViewportForBounds,
  useReactFlow,
  useStore,
  useStoreApi,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
  type Viewport,
} from "@xyflow/react";
import { useCallback, useDeferredValue, useEffect, useLayoutEffect, useMemo, useRef, useState, type DragEvent } from "react";

import { paletteItem } from "../document/catalog";
import { deviceById, locate } from "../document/elements";
import { addElement, connect, moveElements, placeInRack, relate } from "../document/operations";
import type { DesignDocument, Position } from "../document/types";
import type { Marks } from "../editor/findings";
import type { EditorAction, PortSelection, SelectionChange } from "../editor/state";
import type { LivePlan } from "../server/types";
import { EDGE_TYPES } from "./edges";
import { drawDocument, withSelection, type Flow } from "./flow";
import { contains, GRID, snap, type Box } from "./geometry";
import { CloseUp, Detail, DetailBudget, FAR_ZOOM, LARGE_DESIGN } from "./detail";
import { FarCables } from "./farCables";
import { Ground } from "./ground";
import { NODE_TYPES } from "./nodes";
import { sceneBounds, sceneOf } from "./scene";

export const PALETTE_DRAG_TYPE = "application/x-weft-palette";
/** Room a fitted drawing leaves around it: the messages along the top, the zoom buttons at the bottom left. */
export const FIT_PADDING = { top: "58px", right: "20px", bottom: "20px", left: "52px" } as const;
const MIN_ZOOM = 0.05;
// A small design fits the view; past this many nodes the minimap helps find one's way.
const MINIMAP_FROM = 60;

interface CanvasProps {
  doc: DesignDocument;
  plan: LivePlan | null;
  marks: Map<string, Marks>;
  selection: string[];
  ports: PortSelection | null;
  readOnly: boolean;
  dispatch: (action: EditorAction) => void;
  onFirstRender: () => void;
  /** Raised by one to fit the view to the drawing once the document's next change is drawn. */
  fitRequest: number;
  /** Extra class names by element id, for a drawing that marks elements (a review's added, removed, changed). */
  classes?: Map<string, string>;
}

/** The rack whose box holds `point`, for a device dropped or dragged there. */
export function rackAt(flow: Flow, point: Position): string | undefined {
  for (const [id, box] of flow.racks) if (contains(box, point)) return id;
  return undefined;
}

const CABLES_PER_FRAME = 40;
const DEVICES_PER_FRAME = 16;

/** Devices get their detail a few dozen per frame as the view comes close, and lose it at once going far. */
function useDetailBudget(closeUp: boolean, devices: number): DetailBudget {
  const [budget] = useState(() => new DetailBudget(closeUp));
  useEffect(() => {
    if (!closeUp) {
      budget.set(0);
      return undefined;
    }
    let frame = 0;
    const grow = () => {
      const next = budget.value + DEVICES_PER_FRAME;
      budget.set(next >= devices ? Infinity : next);
      if (next < devices) frame = requestAnimationFrame(grow);
    };
    if (budget.value !== Infinity) frame = requestAnimationFrame(grow);
    return () => cancelAnimationFrame(frame);
  }, [budget, closeUp, devices]);
  return budget;
}

/**
 * The edges React Flow draws: all of them close up; far out, only the selected ones (the far-out drawing has the
 * rest in a few paths). Coming close, they are handed over a few dozen per frame, so zooming in never stalls on
 * drawing hundreds of cables at once.
 */
function useCablesInView(edges: Edge[], closeUp: boolean): Edge[] {
  const [budget, setBudget] = useState(closeUp ? Infinity : 0);
  useEffect(() => {
    if (!closeUp) {
      setBudget(0);
      return undefined;
    }
    let frame = 0;
    const grow = () => setBudget((current) => {
      if (current === Infinity) return current;
      const next = current + CABLES_PER_FRAME;
      if (next < edges.length) frame = requestAnimationFrame(grow);
      return next >= edges.length ? Infinity : next;
    });
    frame = requestAnimationFrame(grow);
    return () => cancelAnimationFrame(frame);
  }, [closeUp]); // only coming close hands cables over; a new document's cables are drawn whole
  if (!closeUp) return edges.filter((edge) => edge.selected);
  return budget === Infinity ? edges : edges.slice(0, budget);
}

// The view is still once it has not been panned or zoomed for this long (a wheel zoom's steps come closer).
const STILL_MS = 150;

/**
 * Whether devices and cables are drawn in detail: not while the view is far out (FAR_ZOOM), and coming close,
 * only once the view is still. Going far drops the detail at once; a zoom in goes on with the outlines, and the
 * detail follows when it stops.
 */
function useNear(far: boolean): boolean {
  const store = useStoreApi();
  const [near, setNear] = useState(!far);
  if (far && near) setNear(false);
  const waiting = !far && !near;
  useEffect(() => {
    if (!waiting) return undefined;
    let timer = window.setTimeout(() => setNear(true), STILL_MS);
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.transform === previous.transform) return;
      clearTimeout(timer);
      timer = window.setTimeout(() => setNear(true), STILL_MS);
    });
    return () => {
      unsubscribe();
      clearTimeout(timer);
    };
  }, [store, waiting]);
  return near;
}

/** Keep the positions of nodes still being dragged when the flow is rebuilt under them. */
function merge(next: Node[], previous: Node[], dragging: Set<string>): Node[] {
  if (dragging.size === 0) return next;
  const before = new Map(previous.map((node) => [node.id, node]));
  return next.map((node) => (dragging.has(node.id) && before.has(node.id) ? { ...node, position: before.get(node.id)!.position } : node));
}

/**
 * The canvas: the view opens with the drawing fitted to it, worked out before React Flow draws anything, so the
 * first drawing is already at the zoom (and the detail) it is shown at. An empty canvas opens at 1:1, so the first
 * element dropped does not zoom the view in on itself.
 */
export function Canvas(props: CanvasProps) {
  const frame = useRef<HTMLDivElement>(null);
  const [opening, setOpening] = useState<Viewport | null>(null);
  useLayoutEffect(() => {
    const pane = frame.current!.getBoundingClientRect();
    const bounds = sceneBounds(sceneOf(props.doc));
    setOpening(bounds && pane.width && pane.height
      ? getViewportForBounds(bounds, pane.width, pane.height, MIN_ZOOM, 1, FIT_PADDING) : { x: 0, y: 0, zoom: 1 });
  }, []); // the view opens once
  return (
    <div ref={frame} className="canvas" data-testid="canvas" role="region" aria-label="Canvas">
      {opening && <Surface {...props} opening={opening} />}
    </div>
  );
}

function Surface({ doc, plan, marks, selection, ports, readOnly, dispatch, onFirstRender, fitRequest, classes, opening }:
  CanvasProps & { opening: Viewport }) {
  const selected = useMemo(() => new Set(selection), [selection]);
  // A click that selects redraws only the selected elements: the drawing itself waits for the next edit.
  const drawing = useMemo(() => drawDocument({ doc, plan, marks, ports, classes }), [doc, plan, marks, ports, classes]);
  const flow = useMemo(() => withSelection(drawing, selected), [drawing, selected]);
  const [nodes, setNodes] = useState<Node[]>(flow.nodes);
  // Read when a drag ends, so handling the changes of every drag frame does not depend on the nodes.
  const nodesNow = useRef(nodes);
  // Until React Flow has taken the opening view, the zoom it opens at says how much detail to draw.
  const large = flow.nodes.length > LARGE_DESIGN;
  const far = useStore((store) => large && (store.panZoom ? store.transform[2] : opening.zoom) < FAR_ZOOM);
  const dragging = useRef(new Set<string>());
  const rendered = useRef(false);
  const { screenToFlowPosition, fitView } = useReactFlow();
  const fitted = useRef(fitRequest);

  // Coming close redraws every device in view: React does it between frames, so it never stalls a frame.
  const closeUp = useDeferredValue(useNear(far));

  useEffect(() => {
    setNodes((previous) => merge(flow.nodes, previous, dragging.current));
    if (fitted.current === fitRequest) return;
    fitted.current = fitRequest;
    requestAnimationFrame(() => void fitView({ padding: FIT_PADDING, duration: 200, maxZoom: 1 }));
  }, [flow.nodes, fitRequest, fitView]);

  useEffect(() => {
    nodesNow.current = nodes;
  }, [nodes]);

  useEffect(() => {
    if (rendered.current) return;
    rendered.current = true;
    requestAnimationFrame(() => requestAnimationFrame(onFirstRender));
  }, [onFirstRender]);

  const absolute = useCallback((node: Node, position: Position): Position => {
    const box = node.parentId ? flow.racks.get(node.parentId) : undefined;
    return box ? { x: box.x + position.x, y: box.y + position.y } : position;
  }, [flow.racks]);

  const commitMoves = useCallback((moved: { node: Node; position: Position }[]) => {
    const moves: { id: string; position: Position }[] = [];
    const placements: { id: string; rack: string | undefined }[] = [];
    const { scene } = drawing;
    for (const { node, position } of moved) {
      // A rack grows to hold its devices and a bus to reach its members: each moves by as much as it was dragged.
      const grown: Box | undefined = node.type === "rack" ? scene.racks.get(node.id)?.box
        : node.type === "bus" ? scene.buses.get(node.id)?.box : undefined;
      if (grown) {
        const element = locate(doc, node.id)!.element as { position?: Position };
        const from = element.position ?? { x: grown.x, y: grown.y };
        moves.push({ id: node.id, position: { x: from.x + position.x - grown.x, y: from.y + position.y - grown.y } });
        continue;
      }
      const at = absolute(node, position);
      moves.push({ id: node.id, position: at });
      const device = node.type === "device" ? deviceById(doc, node.id) : undefined;
      const box = scene.devices.get(node.id)?.box;
      if (device && box) {
        const rack = rackAt(flow, { x: at.x + box.width / 2, y: at.y + 30 });
        if (rack !== device.rack) placements.push({ id: device.id, rack });
      }
    }
    dispatch({
      type: "edit",
      change: (current) => placements.reduce((next, p) => placeInRack(next, p.id, p.rack), moveElements(current, moves)),
    });
  }, [absolute, dispatch, doc, drawing, flow]);

  const onNodesChange = useCallback((changes: NodeChange[]) => {
    const finished: { node: Node; position: Position }[] = [];
    const chosen: SelectionChange[] = [];
    for (const change of changes) {
      if (change.type === "select") chosen.push({ id: change.id, selected: change.selected });
      else if (change.type === "position" && change.position) {
        if (change.dragging) dragging.current.add(change.id);
        else {
          dragging.current.delete(change.id);
          const node = readOnly ? undefined : nodesNow.current.find((candidate) => candidate.id === change.id);
          if (node) finished.push({ node, position: change.position });
        }
      }
    }
    setNodes((current) => applyNodeChanges(changes.filter((c) => c.type !== "select" && c.type !== "remove"), current));
    if (chosen.length) dispatch({ type: "select-change", changes: chosen });
    if (finished.length) commitMoves(finished);
  }, [readOnly, dispatch, commitMoves]);

  // Nodes and edges report their selection changes apart: each is applied to the selection as it is then.
  const onEdgesChange = useCallback((changes: EdgeChange[]) => {
    const chosen = changes.flatMap((change) => (change.type === "select" ? [{ id: change.id, selected: change.selected }] : []));
    if (chosen.length) dispatch({ type: "select-change", changes: chosen });
  }, [dispatch]);

  const onConnect = useCallback((connection: Connection) => {
    const { source, target, sourceHandle, targetHandle } = connection;
    if (sourceHandle?.startsWith("nic:") && targetHandle?.startsWith("nic:")) {
      dispatch({
        type: "edit", select: true,
        change: (current) => connect(current, { device: source, interface: sourceHandle.slice(4) },
          { device: target, interface: targetHandle.slice(4) }),
      });
    } else {
      dispatch({ type: "edit", change: (current) => relate(current, source, target) });
    }
  }, [dispatch]);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(PALETTE_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback((event: DragEvent) => {
    const key = event.dataTransfer.getData(PALETTE_DRAG_TYPE);
    if (!key || readOnly) return;
    event.preventDefault();
    const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
    const rack = paletteItem(key).kind === "device" ? rackAt(flow, point) : undefined;
    const at = snap({ x: point.x - GRID * 2, y: point.y - GRID });
    dispatch({ type: "edit", select: true, change: (current) => addElement(current, key, at, rack) });
  }, [dispatch, flow, readOnly, screenToFlowPosition]);

  const edges = useCablesInView(flow.edges, closeUp);
  const detail = useDetailBudget(closeUp, drawing.scene.devices.size);
  const bounds = useMemo(() => sceneBounds(drawing.scene), [drawing.scene]);
  return (
    <div className={`canvas-surface${far ? " far" : ""}`} onDragOver={onDragOver} onDrop={onDrop}>
      <CloseUp.Provider value={closeUp}>
        <Detail.Provider value={detail}>
          <ReactFlow
            nodes={nodes} edges={edges}
            nodeTypes={NODE_TYPES} edgeTypes={EDGE_TYPES}
            onNodesChange={onNodesChange} onEdgesChange={onEdgesChange} onConnect={readOnly ? undefined : onConnect}
            connectionMode={ConnectionMode.Loose} snapToGrid snapGrid={[GRID, GRID]}
            nodesDraggable={!readOnly} nodesConnectable={!readOnly} deleteKeyCode={null}
            onlyRenderVisibleElements={large} elevateEdgesOnSelect minZoom={MIN_ZOOM} maxZoom={2.5}
            defaultViewport={opening} proOptions={{ hideAttribution: true }}
            ariaLabelConfig={{ "node.a11yDescription.default": "Press Enter or Space to select; arrow keys move it." }}
          >
            {bounds && <Ground bounds={bounds} />}
            {!closeUp && <FarCables scene={drawing.scene} marks={marks} />}
            {flow.nodes.length >= MINIMAP_FROM && (
              <MiniMap pannable zoomable ariaLabel="minimap" nodeClassName={(node) => `mini-${node.type}`} />
            )}
            <Controls showInteractive={false} />
          </ReactFlow>
        </Detail.Provider>
      </CloseUp.Provider>
    </div>
  );
}
