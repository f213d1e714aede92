'use client';

import '@xyflow/react/dist/style.css';
import './journey-canvas.css';
import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  ReactFlowProvider,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type Edge,
  type EdgeChange,
  type Node,
  type NodeChange,
} from '@xyflow/react';
import {
  CANVAS_TRIGGER_TYPE,
  validateCanvas,
  type CanvasGraph,
  type ValidationError,
} from '@cairn/workflows';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent } from 'react';
import { api } from '@/api/client';
import { describeApiError, settle } from '@/api/errors';
import { ConfirmGroup } from '@/components/ConfirmGroup';
import { KINDS, cleanGraph, kindInfo, newNodeId, type Data } from './catalog';
import { CanvasContext, type NodeStats } from './context';
import { autoLayout } from './layout';
import { NodeIcon } from './NodeIcon';
import { PublishDialog } from './PublishDialog';
import { SettingsPanel, type HoldoutStats } from './SettingsPanel';
import { SidePanel } from './SidePanel';
import { StepNode } from './StepNode';
import type { JourneyDetail, JourneyStats } from './types';
import { useHistory } from './useHistory';

const DRAG_TYPE = 'application/cairn-node';
const STATUS_LABEL: Record<string, string> = {
  draft: 'Draft',
  active: 'Live',
  paused: 'Paused',
  archived: 'Archived',
};
const AUTOSAVE_MS = 800;
const STATS_POLL_MS = 3_000;
const nodeTypes = Object.fromEntries(KINDS.map((k) => [k.type, StepNode]));

interface Snapshot {
  nodes: Node[];
  edges: Edge[];
  settings: Data | undefined;
}

type SaveState = 'saved' | 'dirty' | 'saving' | 'error' | 'conflict';

const edgeOf = (source: string, sourceHandle: string, target: string): Edge => ({
  id: `${source}:${sourceHandle}`,
  source,
  sourceHandle,
  target,
});

function toFlow(draft: CanvasGraph): Snapshot {
  return {
    nodes: draft.nodes.map((n) => ({ id: n.id, type: n.type, position: n.position, data: n.data })),
    edges: draft.edges.map((e) => edgeOf(e.source, e.sourceHandle ?? 'next', e.target)),
    settings: draft.settings,
  };
}

const isTyping = (t: EventTarget | null) =>
  t instanceof HTMLElement && (t.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(t.tagName));

export interface JourneyEditorProps {
  workspaceId: string;
  journey: JourneyDetail;
  templates: { id: string; name: string }[];
  journeys: { id: string; name: string }[];
  canEdit: boolean;
  templatesHref: string;
  mailboxHref: string;
}

/** The journey canvas: palette, graph, side panel, autosave, publish and live counts. */
export function JourneyEditor(props: JourneyEditorProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

function Editor({
  workspaceId,
  journey,
  templates,
  journeys,
  canEdit,
  templatesHref,
  mailboxHref,
}: JourneyEditorProps) {
  const flow = useReactFlow();
  const initial = useMemo(() => toFlow(journey.draft as unknown as CanvasGraph), [journey.draft]);
  const [nodes, setNodes] = useState<Node[]>(initial.nodes);
  const [edges, setEdges] = useState<Edge[]>(initial.edges);
  const [settings, setSettings] = useState<Data | undefined>(initial.settings);
  const [status, setStatus] = useState(journey.status);
  const [currentVersion, setCurrentVersion] = useState(journey.currentVersion);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<ValidationError[]>(journey.errors as ValidationError[]);
  const [saveState, setSaveState] = useState<SaveState>('saved');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [publishing, setPublishing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'pause' | 'resume' | 'archive' | null>(null);
  const [stats, setStats] = useState<JourneyStats | null>(null);
  const [showKeys, setShowKeys] = useState(false);
  const history = useHistory<Snapshot>();
  const revision = useRef(journey.draftRevision);
  const clipboard = useRef<Snapshot | null>(null);
  const readOnly = !canEdit || status === 'archived';
  const ws = { workspaceId, journeyId: journey.id };

  // ------------------------------------------------------------------------------------ graph and errors
  const graph = useMemo(
    () => cleanGraph({ nodes, edges, settings } as CanvasGraph),
    [nodes, edges, settings],
  );
  const graphJson = useMemo(() => JSON.stringify(graph), [graph]);
  const errors = useMemo(() => {
    const local = validateCanvas(graph).errors;
    // The server adds what only it can check (templates that exist); the rest is checked here as you type.
    const serverOnly = serverErrors.filter(
      (e) => e.message.includes('email template') && graph.nodes.some((n) => n.id === e.nodeId),
    );
    return [...local, ...serverOnly];
  }, [graph, serverErrors]);
  const errorsByNode = useMemo(() => {
    const m = new Map<string, ValidationError[]>();
    for (const e of errors) if (e.nodeId) m.set(e.nodeId, [...(m.get(e.nodeId) ?? []), e]);
    return m;
  }, [errors]);
  const generalErrors = errors.filter((e) => !e.nodeId);

  const snapshot = useCallback((): Snapshot => ({ nodes, edges, settings }), [nodes, edges, settings]);
  const restore = (s: Snapshot | null) => {
    if (!s) return;
    setNodes(s.nodes);
    setEdges(s.edges);
    setSettings(s.settings);
  };

  // ------------------------------------------------------------------------------------------- autosave
  const saved = useRef(graphJson);
  const saving = useRef<Promise<boolean> | null>(null);
  const latest = useRef(graph);
  latest.current = graph;

  const saveNow = useCallback(async (): Promise<boolean> => {
    if (saving.current) await saving.current;
    const body = latest.current;
    const json = JSON.stringify(body);
    if (json === saved.current) return true;
    setSaveState('saving');
    const run = (async () => {
      const r = await settle(
        api.PUT('/api/workspaces/{workspaceId}/journeys/{journeyId}/draft', {
          params: { path: ws },
          body: { graph: body as unknown as Record<string, unknown>, baseRevision: revision.current },
        }),
      );
      if (r.ok && r.result.data) {
        revision.current = r.result.data.revision;
        saved.current = json;
        setServerErrors(r.result.data.errors as ValidationError[]);
        setSaveError(null);
        setSaveState(JSON.stringify(latest.current) === json ? 'saved' : 'dirty');
        return true;
      }
      if (!r.ok && r.status === 409) setSaveState('conflict');
      else setSaveState('error');
      setSaveError(r.ok ? 'Saving failed.' : describeApiError(r.error));
      return false;
    })();
    saving.current = run;
    try {
      return await run;
    } finally {
      saving.current = null;
    }
  }, [workspaceId, journey.id]);

  useEffect(() => {
    if (graphJson === saved.current || readOnly || saveState === 'conflict') return;
    setSaveState('dirty');
    const timer = setTimeout(() => void saveNow(), AUTOSAVE_MS);
    return () => clearTimeout(timer);
  }, [graphJson, readOnly]);

  useEffect(() => {
    if (saveState !== 'dirty' && saveState !== 'saving') return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saveState]);

  // ----------------------------------------------------------------------------------------- live stats
  useEffect(() => {
    if (currentVersion === null) return;
    let live = true;
    const load = async () => {
      const r = await settle(
        api.GET('/api/workspaces/{workspaceId}/journeys/{journeyId}/stats', { params: { path: ws } }),
      );
      if (live && r.ok && r.result.data) setStats(r.result.data);
    };
    void load();
    const timer = setInterval(() => void load(), STATS_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [currentVersion, workspaceId, journey.id]);
  const statsByNode = useMemo(() => {
    if (!stats) return currentVersion === null ? null : new Map<string, NodeStats>();
    return new Map(stats.nodes.map((n) => [n.nodeId, n]));
  }, [stats, currentVersion]);

  // ------------------------------------------------------------------------------------------- editing
  const templateNames = useMemo(() => new Map(templates.map((t) => [t.id, t.name])), [templates]);
  const info = useMemo(
    () => ({ errors: errorsByNode, stats: statsByNode, templates: templateNames, readOnly }),
    [errorsByNode, statsByNode, templateNames, readOnly],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange[]) => {
      if (changes.some((c) => c.type === 'remove')) history.record(snapshot());
      setNodes((ns) => applyNodeChanges(changes, ns));
      const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
      if (removed.size) {
        setEdges((es) => es.filter((e) => !removed.has(e.source) && !removed.has(e.target)));
        if (selectedId && removed.has(selectedId)) setSelectedId(null);
      }
      const selected = changes.find((c) => c.type === 'select' && c.selected);
      if (selected && selected.type === 'select') setSelectedId(selected.id);
    },
    [history, snapshot, selectedId],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange[]) => {
      if (changes.some((c) => c.type === 'remove')) history.record(snapshot());
      setEdges((es) => applyEdgeChanges(changes, es));
    },
    [history, snapshot],
  );

  const connect = useCallback(
    (source: string, handle: string, target: string | null) => {
      history.record(snapshot());
      setEdges((es) => {
        const rest = es.filter((e) => !(e.source === source && (e.sourceHandle ?? 'next') === handle));
        return target ? [...rest, edgeOf(source, handle, target)] : rest;
      });
    },
    [history, snapshot],
  );

  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.source || !c.target) return;
      connect(c.source, c.sourceHandle ?? 'next', c.target);
    },
    [connect],
  );

  const isValidConnection = useCallback(
    (c: Connection | Edge) => {
      if (c.source === c.target) return false;
      return nodes.find((n) => n.id === c.target)?.type !== CANVAS_TRIGGER_TYPE;
    },
    [nodes],
  );

  const addNode = useCallback(
    (type: string, position?: { x: number; y: number }) => {
      const kind = kindInfo(type);
      if (!kind || readOnly) return;
      history.record(snapshot());
      const id = newNodeId(type, new Set(nodes.map((n) => n.id)));
      const at =
        position ?? flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 });
      setNodes((ns) => [
        ...ns.map((n) => ({ ...n, selected: false })),
        { id, type, position: at, data: kind.defaults(), selected: true },
      ]);
      setSelectedId(id);
    },
    [flow, history, nodes, readOnly, snapshot],
  );

  const onDrop = useCallback(
    (e: DragEvent) => {
      e.preventDefault();
      const type = e.dataTransfer.getData(DRAG_TYPE);
      if (!type) return;
      addNode(type, flow.screenToFlowPosition({ x: e.clientX - 110, y: e.clientY - 30 }));
    },
    [addNode, flow],
  );

  const lastEdit = useRef<{ id: string; at: number } | null>(null);
  const updateData = useCallback(
    (id: string, data: Data) => {
      // Typing in one field is one undo step, not one per key.
      const now = Date.now();
      if (lastEdit.current?.id !== id || now - lastEdit.current.at > 1_500) history.record(snapshot());
      lastEdit.current = { id, at: now };
      const clean = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined));
      setNodes((ns) => ns.map((n) => (n.id === id ? { ...n, data: clean } : n)));
    },
    [history, snapshot],
  );

  const updateSettings = useCallback(
    (s: Data) => {
      const now = Date.now();
      if (lastEdit.current?.id !== '@settings' || now - lastEdit.current.at > 1_500)
        history.record(snapshot());
      lastEdit.current = { id: '@settings', at: now };
      setSettings(s);
    },
    [history, snapshot],
  );

  const deleteNode = (id: string) => {
    history.record(snapshot());
    setNodes((ns) => ns.filter((n) => n.id !== id));
    setEdges((es) => es.filter((e) => e.source !== id && e.target !== id));
    setSelectedId(null);
  };

  const layout = useCallback(() => {
    history.record(snapshot());
    setNodes((ns) => autoLayout(ns, edges));
    window.requestAnimationFrame(() => void flow.fitView({ padding: 0.2, duration: 200 }));
  }, [edges, flow, history, snapshot]);

  const fit = useCallback(() => void flow.fitView({ padding: 0.2, duration: 200 }), [flow]);

  const copy = useCallback(() => {
    const picked = nodes.filter((n) => n.selected);
    if (!picked.length) return;
    const ids = new Set(picked.map((n) => n.id));
    clipboard.current = {
      nodes: picked,
      edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)),
      settings: undefined,
    };
  }, [nodes, edges]);

  const paste = useCallback(() => {
    const clip = clipboard.current;
    if (!clip || readOnly) return;
    history.record(snapshot());
    const taken = new Set(nodes.map((n) => n.id));
    const ids = new Map<string, string>();
    for (const n of clip.nodes) {
      const id = newNodeId(n.type ?? 'step', taken);
      taken.add(id);
      ids.set(n.id, id);
    }
    setNodes((ns) => [
      ...ns.map((n) => ({ ...n, selected: false })),
      ...clip.nodes.map((n) => ({
        ...n,
        id: ids.get(n.id)!,
        position: { x: n.position.x + 40, y: n.position.y + 40 },
        data: structuredClone(n.data),
        selected: true,
      })),
    ]);
    setEdges((es) => [
      ...es,
      ...clip.edges.map((e) => edgeOf(ids.get(e.source)!, e.sourceHandle ?? 'next', ids.get(e.target)!)),
    ]);
  }, [history, nodes, readOnly, snapshot]);

  const undo = useCallback(() => restore(history.undo(snapshot())), [history, snapshot]);
  const redo = useCallback(() => restore(history.redo(snapshot())), [history, snapshot]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTyping(e.target)) return;
      const mod = e.metaKey || e.ctrlKey;
      const key = e.key.toLowerCase();
      if (mod && key === 'z' && !e.shiftKey && !readOnly) undo();
      else if (mod && ((key === 'z' && e.shiftKey) || key === 'y') && !readOnly) redo();
      else if (mod && key === 'c') copy();
      else if (mod && key === 'v') paste();
      else if (!mod && e.shiftKey && key === 'l' && !readOnly) layout();
      else if (!mod && e.shiftKey && key === 'f') fit();
      else if (!mod && key === '?') setShowKeys((v) => !v);
      else if (key === 'escape') setSelectedId(null);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [copy, fit, layout, paste, readOnly, redo, undo]);

  const selectNode = useCallback(
    (id: string) => {
      setSelectedId(id);
      setNodes((ns) => ns.map((n) => ({ ...n, selected: n.id === id })));
      const n = nodes.find((x) => x.id === id);
      if (n) void flow.setCenter(n.position.x + 120, n.position.y + 50, { zoom: 1, duration: 200 });
    },
    [flow, nodes],
  );

  // ----------------------------------------------------------------------------------- lifecycle actions
  async function control(action: 'pause' | 'resume' | 'archive') {
    const params = { params: { path: ws } };
    const r = await settle(
      action === 'pause'
        ? api.POST('/api/workspaces/{workspaceId}/journeys/{journeyId}/pause', params)
        : action === 'resume'
          ? api.POST('/api/workspaces/{workspaceId}/journeys/{journeyId}/resume', params)
          : api.POST('/api/workspaces/{workspaceId}/journeys/{journeyId}/archive', params),
    );
    setConfirm(null);
    if (r.ok && r.result.data) {
      setStatus(r.result.data.status as typeof status);
      setNotice(r.result.data.effect);
    } else if (!r.ok) setNotice(describeApiError(r.error));
  }

  const selected = nodes.find((n) => n.id === selectedId);
  const outgoing = useMemo(
    () =>
      new Map(edges.filter((e) => e.source === selectedId).map((e) => [e.sourceHandle ?? 'next', e.target])),
    [edges, selectedId],
  );
  const targets = useMemo(
    () =>
      nodes
        .filter((n) => n.type !== CANVAS_TRIGGER_TYPE)
        .map((n) => ({
          id: n.id,
          name: `${(n.data as Data)['label'] ?? kindInfo(n.type)?.name ?? n.type} (${n.id})`,
        })),
    [nodes],
  );
  const hasTrigger = nodes.some((n) => n.type === CANVAS_TRIGGER_TYPE);
  const CONFIRM_TEXT = {
    pause: 'People inside will wait at their current step; no one new enters.',
    resume: 'People inside go on from where they waited; new people enter again.',
    archive: 'People inside leave the journey now and get nothing more from it. This cannot be undone.',
  } as const;

  return (
    <CanvasContext.Provider value={info}>
      <div className="jc" data-testid="journey-editor">
        <div className="jc-toolbar" role="toolbar" aria-label="Journey">
          <span className={`badge jc-status jc-status--${status}`} data-testid="journey-status">
            {STATUS_LABEL[status]}
          </span>
          {currentVersion ? (
            <span className="muted small" data-testid="journey-version">
              version {currentVersion}
            </span>
          ) : null}
          <span className={`jc-save jc-save--${saveState}`} role="status" data-testid="save-state">
            {readOnly
              ? 'Read only'
              : {
                  saved: 'All changes saved',
                  dirty: 'Unsaved changes',
                  saving: 'Saving…',
                  error: `Not saved: ${saveError ?? ''}`,
                  conflict: 'Someone else changed this journey — reload to see it',
                }[saveState]}
          </span>
          <span className="jc-toolbar__spacer" />
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={undo}
            disabled={readOnly || !history.canUndo}
            title="Undo (Ctrl+Z)"
          >
            Undo
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={redo}
            disabled={readOnly || !history.canRedo}
            title="Redo (Ctrl+Shift+Z)"
          >
            Redo
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={layout}
            disabled={readOnly}
            title="Auto-layout (Shift+L)"
          >
            Auto-layout
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={fit}
            title="Zoom to fit (Shift+F)"
          >
            Zoom to fit
          </button>
          <button
            type="button"
            className="btn btn--ghost btn--sm"
            onClick={() => setShowKeys((v) => !v)}
            aria-expanded={showKeys}
            aria-label="Keyboard shortcuts"
            title="Keyboard shortcuts (?)"
          >
            ?
          </button>
          <a className="btn btn--ghost btn--sm" href={mailboxHref}>
            Mailbox
          </a>
          {canEdit && status === 'active' ? (
            <button type="button" className="btn btn--secondary btn--sm" onClick={() => setConfirm('pause')}>
              Pause
            </button>
          ) : null}
          {canEdit && status === 'paused' ? (
            <button type="button" className="btn btn--secondary btn--sm" onClick={() => setConfirm('resume')}>
              Resume
            </button>
          ) : null}
          {canEdit && status !== 'archived' ? (
            <button
              type="button"
              className="btn btn--ghost-danger btn--sm"
              onClick={() => setConfirm('archive')}
            >
              Archive
            </button>
          ) : null}
          {!readOnly ? (
            <button type="button" className="btn btn--primary btn--sm" onClick={() => setPublishing(true)}>
              Publish
            </button>
          ) : null}
        </div>
        {confirm ? (
          <ConfirmGroup
            label={`${confirm} this journey?`}
            text={CONFIRM_TEXT[confirm]}
            confirmLabel={confirm[0]!.toUpperCase() + confirm.slice(1)}
            tone={confirm === 'archive' ? 'danger' : 'primary'}
            className="jc-confirm"
            onConfirm={() => void control(confirm)}
            onCancel={() => setConfirm(null)}
          />
        ) : null}
        {notice ? (
          <p className="alert alert--success jc-notice" role="status" data-testid="journey-notice">
            {notice}
            <button
              type="button"
              className="alert__close"
              aria-label="Dismiss"
              onClick={() => setNotice(null)}
            >
              ×
            </button>
          </p>
        ) : null}
        {showKeys ? (
          <dl className="jc-keys" aria-label="Keyboard shortcuts">
            <dt>Ctrl/⌘ Z · Ctrl/⌘ Shift Z</dt>
            <dd>Undo · redo</dd>
            <dt>Ctrl/⌘ C · Ctrl/⌘ V</dt>
            <dd>Copy · paste selected steps</dd>
            <dt>Delete / Backspace</dt>
            <dd>Remove the selection</dd>
            <dt>Shift L · Shift F</dt>
            <dd>Auto-layout · zoom to fit</dd>
            <dt>Shift-drag</dt>
            <dd>Select several steps</dd>
            <dt>Esc · ?</dt>
            <dd>Deselect · show these</dd>
          </dl>
        ) : null}
        <div className="jc-body">
          <nav className="jc-palette" aria-label="Steps palette">
            {(['Trigger', 'Flow', 'Actions'] as const).map((group) => (
              <div key={group} className="jc-palette__group">
                <h2 className="jc-palette__title">{group}</h2>
                {KINDS.filter((k) => k.group === group).map((k) => {
                  const disabled = readOnly || (k.type === CANVAS_TRIGGER_TYPE && hasTrigger);
                  return (
                    <button
                      key={k.type}
                      type="button"
                      className="jc-palette__item"
                      draggable={!disabled}
                      disabled={disabled}
                      title={k.hint}
                      data-testid={`palette-${k.type}`}
                      onDragStart={(e) => {
                        e.dataTransfer.setData(DRAG_TYPE, k.type);
                        e.dataTransfer.effectAllowed = 'move';
                      }}
                      onClick={() => addNode(k.type)}
                    >
                      <NodeIcon type={k.type} size={16} />
                      {k.name}
                    </button>
                  );
                })}
              </div>
            ))}
          </nav>
          <div
            className="jc-canvas"
            data-testid="canvas"
            onDrop={onDrop}
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
            }}
          >
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              isValidConnection={isValidConnection}
              onNodeDragStart={() => history.record(snapshot())}
              onPaneClick={() => setSelectedId(null)}
              nodesDraggable={!readOnly}
              nodesConnectable={!readOnly}
              deleteKeyCode={readOnly ? null : ['Backspace', 'Delete']}
              defaultEdgeOptions={{ markerEnd: { type: MarkerType.ArrowClosed }, type: 'smoothstep' }}
              fitView
              fitViewOptions={{ padding: 0.2, maxZoom: 1 }}
              minZoom={0.2}
              proOptions={{ hideAttribution: true }}
            >
              <Background gap={20} size={1} />
              <Controls showInteractive={false} />
              <MiniMap
                pannable
                zoomable
                nodeStrokeWidth={3}
                ariaLabel="Mini map"
                style={{ width: 140, height: 90 }}
              />
            </ReactFlow>
            {generalErrors.length ? (
              <ul className="jc-general-errors" role="alert" data-testid="general-errors">
                {generalErrors.map((e, i) => (
                  <li key={i}>{e.message}</li>
                ))}
              </ul>
            ) : null}
          </div>
          {selected ? (
            <SidePanel
              key={selected.id}
              node={{ id: selected.id, type: selected.type ?? '', data: selected.data as Data }}
              errors={errorsByNode.get(selected.id) ?? []}
              readOnly={readOnly}
              templates={templates}
              journeys={journeys.filter((j) => j.id !== journey.id)}
              targets={targets}
              connections={outgoing}
              onChange={(data) => updateData(selected.id, data)}
              onConnect={(output, target) => connect(selected.id, output, target)}
              onDelete={() => deleteNode(selected.id)}
              templatesHref={templatesHref}
            />
          ) : (
            <SettingsPanel
              settings={settings}
              onChange={updateSettings}
              errors={errors.filter((e) => e.code === 'invalid_settings')}
              readOnly={readOnly}
              totals={stats?.totals ?? null}
              holdout={(stats?.holdout as HoldoutStats | undefined) ?? null}
            />
          )}
        </div>
        {publishing ? (
          <PublishDialog
            workspaceId={workspaceId}
            journeyId={journey.id}
            beforeOpen={saveNow}
            onClose={() => setPublishing(false)}
            onSelectNode={selectNode}
            onPublished={(p) => {
              setCurrentVersion(p.version);
              setStatus((s) => (s === 'paused' ? s : 'active'));
            }}
          />
        ) : null}
      </div>
    </CanvasContext.Provider>
  );
}
