/** What the editor's HEMS sidebar draws, shaped from the optimiser's cycle and the planner's plan (pure). */
export { liveFlowView } from './live-flow';
export type { FlowLoadView, FlowView } from './live-flow';
export { PAST_MS, timelineView } from './timeline';
export type { TimelineLoad, TimelineSlot, TimelineSource, TimelineView } from './timeline';
