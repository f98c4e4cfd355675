import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app.tsx';
import { createAuthRegistry } from './auth/auth-registry.ts';
import { loadConfig } from './config/load-config.ts';
import { createAppRouter } from './router.tsx';
import { ConfigErrorScreen } from './ui/config-error-screen.tsx';
import './ui/styles.css';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
const root = createRoot(container);

// Config first: nothing renders, and no provider is contacted, before it is valid.
loadConfig().then(
  (config) => {
    const services = { config, auth: createAuthRegistry(config) };
    const router = createAppRouter(services);
    root.render(
      <StrictMode>
        <App services={services} router={router} />
      </StrictMode>,
    );
  },
  (error: unknown) => root.render(<ConfigErrorScreen error={error} />),
);
