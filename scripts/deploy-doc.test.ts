// docs/deploy.md shows the nginx files the e2e tls environment runs: the same text, not a
// copy that could drift, and the envsubst line it gives names exactly what they use.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NGINX_TEMPLATES, TEMPLATE_NAMES } from '../e2e/tls/nginx.ts';

const doc = readFileSync('docs/deploy.md', 'utf8');
const nginxBlocks = [...doc.matchAll(/```nginx\n([\s\S]*?)```\n/g)].map((match) => match[1]);

describe('docs/deploy.md', () => {
  it.each(NGINX_TEMPLATES)('shows %s exactly as the e2e run uses it, and links it', (file) => {
    expect(nginxBlocks).toContain(readFileSync(file, 'utf8'));
    expect(doc).toContain(`](${file.replace(/^docs\//, '')})`);
  });

  it('gives envsubst exactly the names the templates use', () => {
    const used = new Set(
      NGINX_TEMPLATES.flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\$\{([A-Z_]+)\}/g)].map((match) => match[1]),
      ),
    );
    expect([...used].sort()).toEqual([...TEMPLATE_NAMES].sort());
    const envsubst = doc.match(/envsubst '([^']+)'/)?.[1] ?? '';
    expect(envsubst.split(' ').sort()).toEqual(TEMPLATE_NAMES.map((name) => `\${${name}}`).sort());
  });

  it('is what docs/security.md points to for the proxy, instead of a config of its own', () => {
    const security = readFileSync('docs/security.md', 'utf8');
    expect(security).toContain('](deploy.md#nginx)');
    expect(security).not.toContain('```nginx');
  });
});
