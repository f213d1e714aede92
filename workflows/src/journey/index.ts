export * from './canvas-graph';
export * from './journey-convert';
export * from './journey-diff';
export * from './journey-outputs';
export * from './journey-runtime';
export * from './journey-schema';
export * from './journey-validation';
export { nextSendTime, nextWindowStart, resolveTimeZone, type LocalTimeWindow } from './local-time';
export {
  mergeFieldProblem,
  renderMergeFields,
  type RenderedTemplate,
  type RenderOptions,
} from './merge-fields';
