/**
 * The OpenAPI document: valid OpenAPI 3.1, and in step with Express (every mounted route is in
 * the document and every documented operation is mounted). Served at /openapi.json and /docs.
 */
import { validate, compileErrors } from '@readme/openapi-parser';
import { call, startApi, type ApiHarness } from './support';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi();
});
afterAll(async () => {
  await h?.close();
});

interface Layer {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
}

/**
 * Every [method, OpenAPI path] Express will answer, read from its router stack, routers mounted
 * at the root (the link pages) included. `/l/*rest` is written `/l/{rest}`; `all` catch-alls are
 * not operations.
 */
function expressRoutes(app: ApiHarness['app']): [string, string][] {
  const out: [string, string][] = [];
  const walk = (stack: Layer[]) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const path of paths) {
          for (const [method, on] of Object.entries(layer.route.methods)) {
            if (!on || method === '_all') continue;
            out.push([method, path.replace(/:([A-Za-z0-9_]+)/g, '{$1}').replace(/\*([A-Za-z0-9_]+)/g, '{$1}')]);
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack);
  return out;
}

test('when the document is validated, then it is valid OpenAPI 3.1', async () => {
  const { body } = await call(h, 'get', '/openapi.json', { key: null });
  expect(body.openapi).toBe('3.1.0');
  const result = await validate(structuredClone(body));
  if (!result.valid) throw new Error(compileErrors(result));
  expect(result.valid).toBe(true);
});

test('when Express routes are listed, then each one is in the document, and each documented operation is mounted', async () => {
  const { body } = await call(h, 'get', '/openapi.json', { key: null });
  const mounted = expressRoutes(h.app);
  expect(mounted.length).toBeGreaterThan(50);
  expect(mounted).toContainEqual(['post', '/l/{token}']);
  const missing = mounted.filter(([method, path]) => !body.paths?.[path]?.[method]);
  expect(missing).toEqual([]);
  const documented = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
    Object.keys(ops).filter((k) => ['get', 'post', 'put', 'patch', 'delete', 'options'].includes(k)).map((m) => [m, path]),
  );
  const unmounted = documented.filter(([m, p]) => !mounted.some(([mm, pp]) => mm === m && pp === p));
  expect(unmounted).toEqual([]);
});

test('when an operation is documented, then it names its roles, its errors and (for writes) the Idempotency-Key header', async () => {
  const { body } = await call(h, 'get', '/openapi.json', { key: null });
  for (const route of h.app.locals.registry.routes) {
    const op = body.paths[route.path][route.method];
    expect(op.operationId).toBe(route.name);
    expect(op.responses['400']).toBeDefined();
    if (route.access !== 'public') {
      expect(op.security).toEqual([{ apiKey: [] }]);
      expect(op.responses['401']).toBeDefined();
      expect(op.responses['403']).toBeDefined();
      expect(op.description).toContain('Roles:');
    }
    if (route.method !== 'get') {
      expect(op.parameters.some((p: { in: string; name: string }) => p.in === 'header' && p.name === 'Idempotency-Key')).toBe(true);
      expect(op.description).toContain(`Audit action: \`${route.audit}\``);
    }
  }
});

test('when /docs is opened, then the page and its assets come from this host with a strict CSP', async () => {
  const page = await call(h, 'get', '/docs', { key: null });
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toContain('text/html');
  expect(page.text).not.toMatch(/https?:\/\//);
  expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  for (const asset of ['/docs/assets/swagger-ui.css', '/docs/assets/swagger-ui-bundle.js', '/docs/init.js']) {
    const res = await fetch(`${h.baseUrl}${asset}`);
    expect(res.status).toBe(200);
  }
  const init = await call(h, 'get', '/docs/init.js', { key: null });
  expect(init.text).toContain("url: '/openapi.json'");
});
