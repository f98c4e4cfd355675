// The entry: small on purpose. The composition root (src/app) starts everything.
import { startApp } from './app/start-app.ts';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
startApp(container);
