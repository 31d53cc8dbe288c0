/**
 * SG Ready (BWP label): four operating states over two potential-free contacts
 * (shared/reference/sg-ready.md §2). Notation contact 1 : contact 2, true = closed.
 */
export type SgReadyState = 'lock' | 'normal' | 'recommend' | 'force_on';

export const SG_READY_STATES: readonly SgReadyState[] = ['lock', 'normal', 'recommend', 'force_on'];

export const SG_READY_CONTACTS: Record<SgReadyState, readonly [boolean, boolean]> = {
  lock: [true, false],
  normal: [false, false],
  recommend: [false, true],
  force_on: [true, true],
};

/** The BWP state number, for people and for heat pump manuals. */
export const SG_READY_NUMBER: Record<SgReadyState, 1 | 2 | 3 | 4> = { lock: 1, normal: 2, recommend: 3, force_on: 4 };

/** Which relay output drives a contact, and whether the contact is wired to its NO or NC terminal. */
export interface ContactWiring {
  relay: 'a' | 'b';
  terminal: 'NO' | 'NC';
}

export interface SgReadyWiring {
  contact1: ContactWiring;
  contact2: ContactWiring;
}

export const DEFAULT_WIRING: SgReadyWiring = { contact1: { relay: 'a', terminal: 'NO' }, contact2: { relay: 'b', terminal: 'NO' } };

/** The two relay coils to energise for a state: an NC-wired contact closes when its relay is off. */
export function relaysFor(state: SgReadyState, wiring: SgReadyWiring): { a: boolean; b: boolean } {
  const [c1, c2] = SG_READY_CONTACTS[state];
  const coil = (closed: boolean, w: ContactWiring) => (w.terminal === 'NO' ? closed : !closed);
  const relays = { a: false, b: false };
  relays[wiring.contact1.relay] = coil(c1, wiring.contact1);
  relays[wiring.contact2.relay] = coil(c2, wiring.contact2);
  return relays;
}

export function validateWiring(wiring: SgReadyWiring): string[] {
  return wiring.contact1.relay === wiring.contact2.relay
    ? [`contact 1 and contact 2 are both on relay ${wiring.contact1.relay}: give each contact its own relay`]
    : [];
}
