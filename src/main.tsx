import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createAuthRegistry } from './auth/auth-registry.ts';
import { loadConfig } from './config/load-config.ts';
import { correctedClock } from './lib/clock.ts';
import { createAppRouter } from './router.tsx';
import { ConfigErrorScreen } from './ui/config-error-screen.tsx';
import './ui/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

// Config first: nothing renders, and no provider is contacted, before it is valid.
loadConfig().then(
  ({ config, clockOffsetMs }) => {
    const clock = correctedClock(clockOffsetMs);
    const services = { config, clock, auth: createAuthRegistry(config, clock) };
    const router = createAppRouter(services);
    root.render(
      <StrictMode>
        <App services={services} router={router} />
      </StrictMode>,
    );
  },
  (error: unknown) => root.render(<ConfigErrorScreen error={error} />),
);
