import { createContext, useContext } from 'react';
import type { ValidationError } from '@cairn/workflows';

export interface NodeStats {
  entered: number;
  waiting: number;
  converted: number;
}

/** What nodes show beside their configuration: errors, live counts, names of referenced things. */
export interface CanvasInfo {
  errors: Map<string, ValidationError[]>;
  stats: Map<string, NodeStats> | null;
  templates: Map<string, string>;
  readOnly: boolean;
}

export const CanvasContext = createContext<CanvasInfo>({
  errors: new Map(),
  stats: null,
  templates: new Map(),
  readOnly: false,
});

export const useCanvasInfo = () => useContext(CanvasContext);
