import { REGISTER_WORDS, type ReadRules, type RegisterSpec, type RegisterTable } from './profile';

/** Where a register is, which is all a read plan needs. */
export type RegisterLocation = Pick<RegisterSpec, 'table' | 'address' | 'type'>;

export interface ReadRequest<R extends RegisterLocation = RegisterSpec> {
  table: RegisterTable;
  address: number;
  count: number;
  registers: R[];
}

function crossesRejected(rules: ReadRules, table: RegisterTable, first: number, last: number): boolean {
  return (rules.rejectedRanges ?? []).some(
    (r) => r.table === table && r.first <= last && r.last >= first,
  );
}

function aligned(rules: ReadRules, first: number, endExclusive: number) {
  if (!rules.evenAlignment) return { address: first, count: endExclusive - first };
  const address = first - (first % 2);
  const end = endExclusive + (endExclusive % 2);
  return { address, count: end - address };
}

/**
 * The fewest requests that read every register: contiguous and near registers of one table are
 * merged while the device's limits (size, gap, alignment, rejected addresses) allow it.
 */
export function planReads<R extends RegisterLocation = RegisterSpec>(registers: readonly R[], rules: ReadRules): ReadRequest<R>[] {
  const sorted = [...registers].sort((a, b) =>
    a.table === b.table ? a.address - b.address : a.table < b.table ? -1 : 1,
  );
  const requests: ReadRequest<R>[] = [];
  let open: { table: RegisterTable; first: number; end: number; registers: R[] } | undefined;
  const close = () => {
    if (open) requests.push({ table: open.table, ...aligned(rules, open.first, open.end), registers: open.registers });
  };
  for (const reg of sorted) {
    const end = reg.address + REGISTER_WORDS[reg.type];
    const fits =
      open !== undefined &&
      open.table === reg.table &&
      reg.address - open.end <= rules.maxGapRegisters &&
      aligned(rules, open.first, Math.max(open.end, end)).count <= rules.maxRegistersPerRead &&
      !crossesRejected(rules, reg.table, open.end, reg.address - 1);
    if (fits && open) {
      open.end = Math.max(open.end, end);
      open.registers.push(reg);
    } else {
      close();
      open = { table: reg.table, first: reg.address, end, registers: [reg] };
    }
  }
  close();
  return requests;
}
