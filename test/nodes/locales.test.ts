/**
 * Every node speaks English (en-US) and German (de) in step: the same message keys with the same
 * `__placeholders__`, every key the dialogs use present in both, and help in both languages.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { flatten, LOCALES, localeFile, readCatalogue, type Catalogue } from '../helpers/locales';

const ROOT = join(__dirname, '..', '..');
const LANGUAGES = ['en-US', 'de'] as const;
const TYPES = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { 'node-red': { nodes: Record<string, string> } })['node-red'].nodes);

const placeholders = (text: string): string[] => [...new Set(text.match(/__[A-Za-z0-9_]+?__/g) ?? [])].sort();

/** What differs between two catalogues of one node: keys missing on either side, placeholders that do not match. */
function catalogueDifferences(english: Catalogue, german: Catalogue): string[] {
  const en = flatten(english);
  const de = flatten(german);
  const problems: string[] = [];
  for (const key of en.keys()) if (!de.has(key)) problems.push(`de lacks ${key}`);
  for (const key of de.keys()) if (!en.has(key)) problems.push(`en-US lacks ${key}`);
  for (const [key, text] of en) {
    const other = de.get(key);
    if (other !== undefined && placeholders(text).join() !== placeholders(other).join()) {
      problems.push(`${key}: placeholders ${placeholders(text).join(', ') || 'none'} in en-US, ${placeholders(other).join(', ') || 'none'} in de`);
    }
    if (other !== undefined && other.trim() === '') problems.push(`${key}: empty in de`);
  }
  return problems;
}

/** The message keys a dialog uses: `data-i18n` attributes (with `[attr]` prefixes and `;` lists) and `node._('…')` calls. */
function keysUsedBy(html: string): string[] {
  const keys = new Set<string>();
  for (const [, value] of html.matchAll(/data-i18n="([^"]+)"/g)) {
    for (const part of value.split(';')) keys.add(part.replace(/^\[[^\]]+\]/, '').trim());
  }
  for (const [, key] of html.matchAll(/\b(?:node|this|RED)\._\(\s*'([^']+)'/g)) keys.add(key);
  return [...keys].filter((k) => !k.includes(':')).sort();
}

const read = (...path: string[]) => readFileSync(join(ROOT, 'nodes', ...path), 'utf8');
/** Every TypeScript source of the nodes (nodes/*.ts, nodes/lib/*.ts), by path. */
const SOURCES = ['', 'lib'].flatMap((dir) => readdirSync(join(ROOT, 'nodes', dir)).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f)));

/** The status keys a source names ('hems-meter.status.reading'): the node type they start with owns the catalogue. */
function statusKeysIn(source: string): string[] {
  return [...new Set([...source.matchAll(/['"`](hems-[a-z-]+\.status\.\w+)['"`]/g)].map((m) => m[1]))].sort();
}

/** Status texts written in code rather than looked up: a status whose text is a string or template that is no key. */
function literalStatusTexts(source: string): string[] {
  return [...source.matchAll(/\.status\(\s*\{[^}]*?\btext:\s*(['"`])(?!hems-[a-z-]+\.status\.\w+\1)([^'"`]*)\1/g)].map((m) => m[2]);
}
const catalogue = readCatalogue;
/** The help's outline: how many sections, documented properties and settings, and list items it has. */
const outline = (help: string) => Object.fromEntries(['h3', 'dt', 'li', 'p'].map((tag) => [tag, help.split(`<${tag}>`).length + help.split(`<${tag} `).length - 2]));

describe('node languages', () => {
  it.each(TYPES)('%s: en-US and de have the same keys and placeholders', (type) => {
    for (const lang of LANGUAGES) expect(existsSync(join(LOCALES, lang, `${type}.json`)), `${lang}/${type}.json`).toBe(true);
    expect(catalogueDifferences(catalogue('en-US', type), catalogue('de', type))).toEqual([]);
  });

  it.each(TYPES)('%s: every key the dialog uses is in both languages', (type) => {
    const used = keysUsedBy(read(`${type}.html`));
    expect(used.length).toBeGreaterThan(0);
    for (const lang of LANGUAGES) {
      const known = flatten(catalogue(lang, type));
      // A key ending in '.' is completed at run time (`'…day.' + d`): some key must extend it.
      const missing = used.filter((key) => (key.endsWith('.') ? ![...known.keys()].some((k) => k.startsWith(key)) : !known.has(key)));
      expect(missing, lang).toEqual([]);
    }
  });

  it.each(SOURCES)('%s: every status key it names is in both languages, and no status text is written in code', (file) => {
    const source = read(file);
    // A bare key in a status is translated by the editor (browser language), one with values by statusText (Node-RED's language).
    for (const lang of LANGUAGES) {
      const missing = statusKeysIn(source).filter((key) => {
        const type = key.slice(0, key.indexOf('.'));
        return !TYPES.includes(type) || !flatten(catalogue(lang, type)).has(key);
      });
      expect(missing, lang).toEqual([]);
    }
    expect(literalStatusTexts(source)).toEqual([]);
  });

  it.each(TYPES)('%s: help in both languages with the same outline, none left in the dialog file', (type) => {
    expect(read(`${type}.html`)).not.toContain('data-help-name');
    const [en, de] = LANGUAGES.map((lang) => localeFile(lang, `${type}.html`));
    for (const help of [en, de]) expect(help).toMatch(new RegExp(`^<script type="text/html" data-help-name="${type}">\\s*<p>`));
    expect(outline(de)).toEqual(outline(en));
  });

  it('reports a key missing on either side and a placeholder that differs', () => {
    const english = { n: { label: { name: 'Name', port: 'Port' }, status: { waiting: 'waiting for __device__' } } };
    expect(catalogueDifferences(english, { n: { label: { name: 'Name' }, status: { waiting: 'wartet auf __device__' } } })).toEqual(['de lacks n.label.port']);
    expect(catalogueDifferences(english, { n: { label: { name: 'Name', port: 'Port', extra: 'x' }, status: { waiting: 'wartet auf __geraet__' } } })).toEqual([
      'en-US lacks n.label.extra',
      'n.status.waiting: placeholders __device__ in en-US, __geraet__ in de',
    ]);
  });

  it('finds the status keys a source names, and status texts written in code', () => {
    const source = `this.status({ fill: 'grey', text: 'hems-pulse.status.waitingForPulses' });
      statusText(RED, 'hems-meter.status.reading', { time });
      const key = on ? "hems-relay.status.on" : \`hems-relay.status.off\`;
      node.status({ fill: 'red', shape: 'ring', text: \`connecting to \${bus}\` });
      this.status({ text: 'waiting' });`;
    expect(statusKeysIn(source)).toEqual(['hems-meter.status.reading', 'hems-pulse.status.waitingForPulses', 'hems-relay.status.off', 'hems-relay.status.on']);
    expect(literalStatusTexts(source)).toEqual(['connecting to ${bus}', 'waiting']);
  });

  it('finds keys in attributes, attribute lists and editor code', () => {
    const html = `<span data-i18n="a.label.x"></span><input data-i18n="[placeholder]a.ph.y;[title]a.t.z" /><script>node._('a.rows.w'); x.text(RED._("node-red:common.label.name"))</script>`;
    expect(keysUsedBy(html)).toEqual(['a.label.x', 'a.ph.y', 'a.rows.w', 'a.t.z']);
  });
});
