/**
 * The settings contract as the runtime sees it: resources/hems-settings.js, the one definition the
 * editor loads too (versions, migrations, the checks of list settings), typed here.
 */
import { join } from 'node:path';
import type { ValidationError } from '../engine/allocator';
import { PACKAGE_ROOT } from '../package-info';

export interface SettingsContract {
  /** What a 0.1.0 hems-optimiser held that belongs to its site. */
  SITE_KEYS: readonly string[];
  FEED_IN_PCTS: readonly number[];
  /** MIGRATIONS[type][n] takes settings of version n to n + 1. */
  MIGRATIONS: Record<string, Array<(config: Record<string, unknown>) => Record<string, unknown>>>;
  words(text: unknown): string[];
  currentVersion(type: string): number;
  /** A copy of `config` at the current version (typed as the caller expects it); throws, naming the version, for one saved by a newer package. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  migrate<T extends object = Record<string, any>>(type: string, config: object): T & { version: number };
  /** A flow's nodes at the current versions; a 0.1.0 optimiser's site becomes a hems-site with the id `siteIdFor` gives. */
  migrateFlow(nodes: Array<Record<string, unknown>>, siteIdFor: (optimiser: Record<string, unknown>) => string): Array<Record<string, unknown>>;
  rippleRuleProblems(rules: unknown, names: readonly string[]): ValidationError[];
  stagePowerProblems(powers: unknown): ValidationError[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
export const settingsContract: SettingsContract = require(join(PACKAGE_ROOT, 'resources', 'hems-settings.js'));
