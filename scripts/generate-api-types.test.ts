import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../servers/contacts-api/openapi-document.ts';
import { generateApiTypes, OUTPUT } from './generate-api-types.ts';

describe('generated SPA API types', () => {
  it('are up to date with the API schemas (else run `npm run generate:api-types`)', async () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(generateApiTypes(await openApiDocument()));
  });

  it('map nullable, optional, array and referenced schemas', () => {
    const Item = {
      title: 'Item',
      type: 'object',
      properties: { n: { type: 'integer' } },
      required: ['n'],
    };
    const text = generateApiTypes({
      paths: {
        '/x': {
          get: {
            operationId: 'getX',
            parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
            responses: {
              200: {
                content: {
                  'application/json': {
                    schema: {
                      title: 'Box',
                      type: 'object',
                      required: ['items', 'label'],
                      properties: {
                        items: { type: 'array', items: Item },
                        label: { anyOf: [{ type: 'string' }, { type: 'null' }] },
                        kind: { const: 'box' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    });
    expect(text).toContain(
      "export interface Box {\n  items: Item[];\n  label: string | null;\n  kind?: 'box';\n}",
    );
    expect(text).toContain('export interface Item {\n  n: number;\n}');
    expect(text).toContain('export interface GetXQuery {\n  q?: string;\n}');
  });
});
