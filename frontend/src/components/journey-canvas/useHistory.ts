import { useCallback, useRef, useState } from 'react';

const LIMIT = 100;

/**
 * Undo/redo over snapshots of the graph. `record` takes the state before a change; snapshots equal to the
 * last one (a click that moved nothing) are not kept.
 */
export function useHistory<T>() {
  const past = useRef<string[]>([]);
  const future = useRef<string[]>([]);
  const [, bump] = useState(0);

  const record = useCallback((before: T) => {
    const s = JSON.stringify(before);
    if (past.current.at(-1) === s) return;
    past.current.push(s);
    if (past.current.length > LIMIT) past.current.shift();
    future.current = [];
    bump((n) => n + 1);
  }, []);

  const undo = useCallback((current: T): T | null => {
    const prev = past.current.pop();
    if (prev === undefined) return null;
    future.current.push(JSON.stringify(current));
    bump((n) => n + 1);
    return JSON.parse(prev) as T;
  }, []);

  const redo = useCallback((current: T): T | null => {
    const next = future.current.pop();
    if (next === undefined) return null;
    past.current.push(JSON.stringify(current));
    bump((n) => n + 1);
    return JSON.parse(next) as T;
  }, []);

  return {
    record,
    undo,
    redo,
    canUndo: past.current.length > 0,
    canRedo: future.current.length > 0,
  };
}
