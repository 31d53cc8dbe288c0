import { PACKAGE_NAME, PACKAGE_VERSION } from '../package-info';

/** The `origin` block HA logs for every discovered entity; required for device discovery. */
export const ORIGIN = { name: PACKAGE_NAME, sw: PACKAGE_VERSION } as const;
export const SOFTWARE_VERSION = PACKAGE_VERSION;
