/** The canvas diff of a review: base and head drawn by the canvas's own nodes and edges, keyed by element id;
 * added green, removed as red ghosts where they were, changed amber with the changed fields on hover. */

import { Background, BackgroundVariant, Controls, ReactFlow, ReactFlowProvider, type Edge, type Node } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useState, type MouseEvent } from "react";

import { EDGE_TYPES } from "../canvas/edges";
import { drawDocument, type Drawing } from "../canvas/flow";
import { GRID } from "../canvas/geometry";
import { NODE_TYPES } from "../canvas/nodes";
import type { DesignDocument } from "../document/types";
import { api, configureApi, request } from "../server/api";
import type { LivePlan, Revision } from "../server/types";
import { describeFields, diffFlow, withThreads } from "./diffFlow";
import { DIFF_VIEWS, type DiffView, type ElementChange, type ReviewConfig } from "./types";

interface Loaded {
  base: Drawing;
  head: Drawing;
  changes: ElementChange[];
  /** Element id -> how many comment threads are about it. */
  threads: Map<string, number>;
}

/** The event a click on an element sends to the page, which then offers to comment on it. */
export const ELEMENT_CHOSEN = "weft-review-element";

const NO_MARKS = new Map();

async function drawn(config: ReviewConfig, revision: string): Promise<Drawing> {
  const answer = await request<Revision>("GET", `designs/${config.design}/revisions/${revision}/`);
  const doc = answer.data.document as DesignDocument;
  // Planned with the revision's own allocations, so each device shows the loopback and ASN it has there.
  const planned = await api.plan(doc, revision, false);
  const plan = "devices" in planned.data ? (planned.data as LivePlan) : null;
  return drawDocument({ doc, plan, marks: NO_MARKS, ports: null });
}

async function load(config: ReviewConfig): Promise<Loaded> {
  configureApi(config.apiRoot, config.csrfToken);
  const [base, head, diff, threads] = await Promise.all([
    drawn(config, config.base), drawn(config, config.head),
    request<{ elements: ElementChange[] }>("GET", `reviews/${config.review}/diff/`),
    request<{ kind: string; anchor: { element?: string } }[]>("GET", `reviews/${config.review}/threads/`),
  ]);
  const counted = new Map<string, number>();
  for (const thread of threads.data) {
    const element = thread.kind === "element" ? thread.anchor.element : undefined;
    if (element) counted.set(element, (counted.get(element) ?? 0) + 1);
  }
  return { base, head, changes: diff.data.elements, threads: counted };
}

export function ReviewCanvasApp({ config }: { config: ReviewConfig }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  useEffect(() => {
    load(config).then(setLoaded, (error: Error) => setFailure(error.message));
  }, [config]);
  if (failure) return <p className="canvas-failure" role="alert">The canvas diff could not load: {failure}</p>;
  if (!loaded) return <p className="canvas-loading">Drawing both revisions…</p>;
  return (
    <ReactFlowProvider>
      <ReviewCanvas loaded={loaded} />
    </ReactFlowProvider>
  );
}

interface Hover {
  id: string;
  x: number;
  y: number;
}

function ReviewCanvas({ loaded }: { loaded: Loaded }) {
  const [view, setView] = useState<DiffView>("both");
  const [hover, setHover] = useState<Hover | null>(null);
  const byId = useMemo(() => new Map(loaded.changes.map((change) => [change.id, change])), [loaded.changes]);
  const flow = useMemo(() => withThreads(diffFlow(loaded.base, loaded.head, loaded.changes, view), loaded.threads),
    [loaded.base, loaded.head, loaded.changes, loaded.threads, view]);
  const counts = useMemo(() => {
    const out: Record<string, number> = { added: 0, removed: 0, changed: 0 };
    for (const change of loaded.changes) out[change.status === "moved" ? "changed" : change.status] += 1;
    return out;
  }, [loaded.changes]);

  const enter = useCallback((event: MouseEvent, item: Node | Edge) => {
    if (byId.has(item.id)) setHover({ id: item.id, x: event.clientX, y: event.clientY });
  }, [byId]);
  const leave = useCallback(() => setHover(null), []);
  const choose = useCallback((_event: MouseEvent, item: Node | Edge) => {
    const change = byId.get(item.id);
    document.dispatchEvent(new CustomEvent(ELEMENT_CHOSEN, {
      detail: { id: item.id, name: change?.name ?? item.id, status: change?.status ?? "unchanged" },
    }));
  }, [byId]);

  const hovered = hover ? byId.get(hover.id) : undefined;
  return (
    <div className="review-canvas" data-testid="review-canvas" data-view={view}>
      <div className="review-toolbar" role="group" aria-label="which revision to show">
        {DIFF_VIEWS.map((option) => (
          <button key={option.view} type="button" aria-pressed={view === option.view}
            data-testid={`view-${option.view}`} onClick={() => setView(option.view)}>{option.label}</button>
        ))}
        <span className="review-legend">
          <span className="legend diff-added">{counts.added} added</span>
          <span className="legend diff-removed">{counts.removed} removed</span>
          <span className="legend diff-changed">{counts.changed} changed</span>
        </span>
      </div>
      <div className="canvas review-surface">
        <ReactFlow nodes={flow.nodes} edges={flow.edges} nodeTypes={NODE_TYPES} edgeTypes={EDGE_TYPES}
          nodesDraggable={false} nodesConnectable={false} elementsSelectable deleteKeyCode={null}
          onNodeMouseEnter={enter} onNodeMouseLeave={leave} onEdgeMouseEnter={enter} onEdgeMouseLeave={leave}
          onNodeClick={choose} onEdgeClick={choose}
          minZoom={0.05} maxZoom={2.5} fitView fitViewOptions={{ padding: 0.08, maxZoom: 1 }}
          proOptions={{ hideAttribution: true }}>
          <Background variant={BackgroundVariant.Dots} gap={GRID} size={1} />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      {hover && hovered && (
        <div className={`diff-card diff-card-${hovered.status}`} role="tooltip" data-testid="diff-card"
          style={{ left: hover.x + 14, top: hover.y + 14 }}>
          <strong>{hovered.name}</strong> <span className="muted">{hovered.collection} · {hovered.status}</span>
          <ul>{describeFields(hovered).map((line) => <li key={line}>{line}</li>)}</ul>
        </div>
      )}
    </div>
  );
}
