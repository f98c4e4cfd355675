// Glewlwyd 2.7's login app (its webapp, served by Glewlwyd itself), as a user sees it: the
// password form, the "Client access grant" page (every scope unticked until the user ticks
// it), the "Continue" button that goes back to the app, and the "End session" page.
import { expect, type Locator, type Page } from '@playwright/test';

export class GlewlwydPages {
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly grantHeading: Locator;
  readonly grant: Locator;
  readonly continue: Locator;
  readonly endSessionHeading: Locator;
  readonly logout: Locator;

  constructor(readonly page: Page) {
    this.username = page.locator('#username');
    this.password = page.locator('#password');
    this.submit = page.locator('#loginbut');
    this.grantHeading = page.getByRole('heading', { name: 'Client access grant' });
    this.grant = page.getByRole('button', { name: 'Grant access' });
    // Named after an icon glyph: matched by how the name ends.
    this.continue = page.getByRole('button', { name: /Continue$/ });
    this.endSessionHeading = page.getByRole('heading', { name: 'End session' });
    this.logout = page.getByRole('button', { name: /Logout$/ });
  }

  /** The scopes the grant page asks about (openid aside), by name. */
  scope(name: string): Locator {
    return this.page.getByRole('checkbox', { name, exact: true });
  }

  /**
   * From Glewlwyd's password form (or a "Continue" page, when its session is still there)
   * back to the app at `appOrigin`: grants every scope asked if the grant page comes.
   */
  async signIn(user: { username: string; password: string }, appOrigin: string): Promise<void> {
    const backInApp = (url: URL) => url.origin === appOrigin;
    const next = this.password.or(this.grantHeading).or(this.continue);
    await expect(next.first()).toBeVisible();
    if (await this.password.isVisible()) {
      if (await this.username.isEditable()) await this.username.fill(user.username);
      await this.password.fill(user.password);
      await this.submit.click();
    }
    // Glewlwyd sends the user on by itself when nothing is left to grant.
    await this.page.waitForURL((url) => backInApp(url) || url.pathname.endsWith('/login.html'));
    if (backInApp(new URL(this.page.url()))) return;
    await expect(this.grantHeading.or(this.continue).first()).toBeVisible();
    if (await this.grantHeading.isVisible()) await this.grantAll();
    await this.continue.click();
    await this.page.waitForURL(backInApp);
  }

  /** Ticks every scope the grant page shows unticked, and grants them. */
  async grantAll(): Promise<void> {
    await expect(this.grant).toBeVisible();
    for (const box of await this.page.getByRole('checkbox').all()) {
      if ((await box.isEnabled()) && !(await box.isChecked())) await box.check();
    }
    await this.grant.click();
    await expect(this.continue).toBeVisible();
  }
}
