// The installation's root (package.json, public/, node_modules/), the same whether this code runs
// from its sources (src/install-root.ts, one level down) or from the build (dist/src/install-root.js,
// two levels down: `npm run build` compiles the same tree under dist/).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);

/** True when running the compiled code in dist/. */
export const RUNS_FROM_BUILD = here.endsWith('.js');

export const INSTALL_ROOT = path.resolve(path.dirname(here), ...(RUNS_FROM_BUILD ? ['..', '..'] : ['..']));
