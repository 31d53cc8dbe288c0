// Puts beside each compiled node what Node-RED loads with it (editor html, locales, icons), and
// ships the example flows as examples/, the folder Node-RED's Import → Examples menu reads.
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'nodes');
mkdirSync(out, { recursive: true });
for (const file of readdirSync(join(root, 'nodes')).filter((f) => f.endsWith('.html'))) {
  cpSync(join(root, 'nodes', file), join(out, file));
}
cpSync(join(root, 'nodes', 'locales'), join(out, 'locales'), { recursive: true });
cpSync(join(root, 'icons'), join(out, 'icons'), { recursive: true });
rmSync(join(root, 'examples'), { recursive: true, force: true });
cpSync(join(root, 'flows'), join(root, 'examples'), { recursive: true });
