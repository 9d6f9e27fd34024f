/**
 * Prints what `kubectl kustomize <dir>` would, with this project's renderer (for machines without
 * kubectl). Git-ignored env files are read from their committed `.example` templates, so the
 * output never holds a real secret:
 *
 *   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/deploy/src/render.ts k8s/overlays/production
 */
import { resolve } from 'node:path';
import { stringify } from 'yaml';
import { renderWithTemplates } from './lib/deploy-checks';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: render.ts <kustomization directory>');
  process.exit(2);
}
process.stdout.write(
  renderWithTemplates(resolve(dir))
    .map((object) => stringify(object, { lineWidth: 0 }))
    .join('---\n'),
);
