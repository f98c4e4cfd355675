import { e2eEnv, expect, test } from './fixtures.ts';

test.describe('a broken runtime config gives a readable error and contacts no provider @any-provider', () => {
  const cases: { name: string; body: string; expected: string }[] = [
    {
      name: 'an issuer over plain http on a public host',
      body: JSON.stringify({
        providers: [
          {
            id: 'local',
            label: 'IdP',
            issuer: 'http://idp.example',
            clientId: 'c',
            scopes: ['openid'],
          },
        ],
        api: { baseUrl: 'https://api.example', resource: 'https://api.example' },
      }),
      expected: 'providers[0].issuer: issuer must use https (http is allowed only for localhost)',
    },
    {
      name: 'no providers',
      body: JSON.stringify({
        providers: [],
        api: { baseUrl: 'https://api.example', resource: 'x' },
      }),
      expected: 'providers: must name at least one provider',
    },
    { name: 'not JSON', body: '{ nope', expected: '/config.json: not valid JSON' },
  ];

  for (const { name, body, expected } of cases) {
    test(name, async ({ page }) => {
      const providerRequests: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(e2eEnv.spaOrigin)) providerRequests.push(request.url());
      });
      await page.route('**/config.json', (route) =>
        route.fulfill({ status: 200, contentType: 'application/json', body }),
      );
      await page.goto('/contacts');
      await expect(
        page.getByRole('heading', { name: 'This app is not configured correctly' }),
      ).toBeVisible();
      await expect(page.getByRole('list', { name: 'Configuration problems' })).toContainText(
        expected,
      );
      expect(providerRequests).toEqual([]);
    });
  }
});
