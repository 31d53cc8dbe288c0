/** The load-priority allocator: one pure `allocate` call per control cycle, plus config checks. */
export { allocate, EMPTY_MEMORY } from './allocate';
export { validateLoadConfig, validateLoads, validateSiteSettings } from './validate';
export { KIND_DEFAULTS, LOAD_DEFAULTS, SITE_DEFAULTS, LEGAL_MIN_DIMMED_TOTAL_W } from './defaults';
export type { ReasonCode } from './reasons';
export type * from './types';
export { maxExportW } from './export-limit';
export { fusePowerW } from './fuse-power';
