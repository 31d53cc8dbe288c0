/** Every problem found in a scenario or series file, each naming the field (or line and column) and the fix. */
import { showValue } from '../show-value';
export class SimulationInputError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`);
    this.name = 'SimulationInputError';
  }
}

export const show = showValue;
