/** The nodes' message catalogues (nodes/locales/<lang>/<type>.json) as flat key → text maps. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Catalogue = { [key: string]: string | Catalogue };

/** Flattens a catalogue to `a.b.c` → text. */
export function flatten(catalogue: Catalogue, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(catalogue)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
}

export const LOCALES = join(__dirname, '..', '..', 'nodes', 'locales');
export const localeFile = (lang: string, file: string) => readFileSync(join(LOCALES, lang, file), 'utf8');
export const readCatalogue = (lang: string, type: string) => JSON.parse(localeFile(lang, `${type}.json`)) as Catalogue;
