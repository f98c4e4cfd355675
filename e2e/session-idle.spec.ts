// Optional idle timeout (config `idleTimeoutMinutes`, set to 1 minute for this page only):
// a countdown dialog offers to stay signed in, and at zero the session ends with the reason.
import { expect, test } from './fixtures.ts';

test('after a minute without activity a countdown dialog appears; ignored, the session ends and says why', async ({
  page,
  signIn,
  workerUser,
}) => {
  await page.route('**/config.json', async (route) => {
    const response = await route.fetch();
    const config = (await response.json()) as { options?: Record<string, unknown> };
    await route.fulfill({
      response,
      json: { ...config, options: { ...config.options, idleTimeoutMinutes: 1 } },
    });
  });
  await page.clock.install();
  await page.goto('/contacts');
  await signIn(page, workerUser);

  const dialog = page.getByRole('dialog', { name: 'Are you still there?' });
  const stay = dialog.getByRole('button', { name: 'Stay signed in' });
  await page.clock.fastForward(50_000);
  await expect(dialog).toBeVisible();
  await expect(stay).toBeFocused();
  await expect(dialog.getByRole('timer')).toHaveText(/^\d+ seconds$/);
  await page.keyboard.press('Enter'); // the focused "Stay signed in"
  await expect(dialog).toBeHidden();

  await page.clock.fastForward(50_000);
  await expect(dialog).toBeVisible();
  await page.clock.fastForward(11_000);
  await expect(dialog).toBeHidden();
  await expect(page.getByText('You were signed out after a while without activity.')).toBeVisible();
  await expect(page.locator('[data-session-status]')).toHaveAttribute(
    'data-session-status',
    'expired',
  );
});
