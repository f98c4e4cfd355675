// A device whose clock is ten minutes off still signs in: token times are checked on a
// clock corrected by the server's Date header (the app's own /config.json response).
import { expect, test } from './fixtures.ts';

for (const minutes of [-10, 10]) {
  test(`sign-in works on a device clock ${Math.abs(minutes)} minutes ${minutes < 0 ? 'slow' : 'fast'}`, async ({
    page,
    app,
    signIn,
    workerUser,
  }) => {
    await page.clock.install({ time: Date.now() + minutes * 60_000 });
    await signIn(page, workerUser);
    await expect(app.contactNames.first()).toBeVisible();
    // The account page's expiry is computed on the corrected clock too.
    await page.getByRole('link', { name: 'Account' }).click();
    await expect(page.getByText(/Access expires in\s*\d+ seconds/)).toBeVisible();
  });
}
