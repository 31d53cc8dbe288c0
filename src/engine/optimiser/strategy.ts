/**
 * Site strategies: how the optimiser uses the loads' configured modes. A strategy rewrites the load
 * list before the allocator sees it, so the allocator stays one algorithm with one set of rules.
 */
import type { LoadConfig } from '../allocator';
import { showValue } from '../show-value';

export interface Strategy {
  /** One line for the editor, Home Assistant and the simulation report. */
  description: string;
  loadsFor(loads: readonly LoadConfig[]): LoadConfig[];
}

export const STRATEGIES = {
  pv_surplus: {
    description: 'loads follow the PV surplus by priority, each in its own mode, within the grid limits',
    loadsFor: (loads) => [...loads],
  },
  // The baseline every smart strategy is measured against: each load runs whenever it wants to,
  // as it would with no energy manager. Grid safety limits (fuse, import cap) still apply.
  no_control: {
    description: 'no control: every load runs whenever it wants, as without an energy manager',
    loadsFor: (loads) => loads.map((load) => ({ ...load, mode: 'on' as const, override: undefined })),
  },
} satisfies Record<string, Strategy>;

export type StrategyName = keyof typeof STRATEGIES;

export const STRATEGY_NAMES = Object.keys(STRATEGIES) as StrategyName[];

export const DEFAULT_STRATEGY: StrategyName = 'pv_surplus';

export function isStrategyName(name: unknown): name is StrategyName {
  return typeof name === 'string' && Object.hasOwn(STRATEGIES, name);
}

export function strategyProblem(name: unknown): string {
  return `strategy = ${showValue(name)}: must be one of ${STRATEGY_NAMES.join(', ')}`;
}
